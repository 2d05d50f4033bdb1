package dev.segments.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's sources keep to what its policy and its safety rest on: the page holds no inline
 * script, handler or style, loads nothing from elsewhere, and the scripts never turn text into
 * markup or code. The browser tests show the behaviour; this keeps anyone from reaching for the
 * shortcuts that would break it.
 */
class ConsoleSourceTest {

    static final Path ROOT = ConsoleResourcesTest.ROOT;
    static final Pattern SCRIPT_TAG = Pattern.compile("<script\\b([^>]*)>(.*?)</script>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    static final Pattern INLINE_HANDLER = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    static final Pattern REFERENCE = Pattern.compile("\\s(?:src|href)\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    /** Ways a script turns a string into markup or code, or sets a handler or style from text (links are set to routes only, by dom.js). */
    static final Pattern UNSAFE = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\s*\\(|new\\s+Function\\b"
            + "|setTimeout\\s*\\(\\s*['\"`]|setInterval\\s*\\(\\s*['\"`]|setAttribute\\s*\\(\\s*['\"](?:on|style)|\\.on[a-z]+\\s*=[^=]"
            + "|createContextualFragment|DOMParser|srcdoc|javascript:");

    static List<String> problemsOfPage(String html) {
        List<String> problems = new ArrayList<>();
        Matcher script = SCRIPT_TAG.matcher(html);
        while (script.find()) {
            if (!script.group(1).contains("src=") || !script.group(2).isBlank()) {
                problems.add("inline script: " + script.group());
            }
        }
        if (INLINE_HANDLER.matcher(html).find()) {
            problems.add("an inline event handler");
        }
        if (Pattern.compile("\\sstyle\\s*=|<style", Pattern.CASE_INSENSITIVE).matcher(html).find()) {
            problems.add("an inline style");
        }
        Matcher reference = REFERENCE.matcher(html);
        while (reference.find()) {
            if (!reference.group(1).startsWith("/console/") && !reference.group(1).startsWith("#")) {
                problems.add("a reference outside the console: " + reference.group(1));
            }
        }
        return problems;
    }

    static List<String> problemsOfScript(String name, String source) {
        List<String> problems = new ArrayList<>();
        String[] lines = source.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].strip().startsWith("//") && UNSAFE.matcher(lines[i]).find()) {
                problems.add(name + ":" + (i + 1) + ": " + lines[i].strip());
            }
        }
        return problems;
    }

    @Test
    void thePageHasNoInlineScriptHandlerOrStyleAndLoadsOnlyTheConsole() throws IOException {
        assertEquals(List.of(), problemsOfPage(Files.readString(ROOT.resolve("index.html"))));
    }

    @Test
    void theScriptsNeverTurnTextIntoMarkupOrCode() throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("console"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".js")).toList()) {
                problems.addAll(problemsOfScript(ROOT.relativize(file).toString(), Files.readString(file)));
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theChecksCanFail() {
        assertFalse(problemsOfPage("<script>alert(1)</script>").isEmpty());
        assertFalse(problemsOfPage("<script src=\"/console/a.js\">alert(1)</script>").isEmpty());
        assertFalse(problemsOfPage("<button onclick=\"go()\">").isEmpty());
        assertFalse(problemsOfPage("<p style=\"color: red\">").isEmpty());
        assertFalse(problemsOfPage("<script src=\"https://cdn.example/lib.js\"></script>").isEmpty());
        for (String bad : List.of("row.innerHTML = key;", "el.insertAdjacentHTML('beforeend', key)", "eval(code)", "new Function(code)",
                "button.onclick = go;", "setTimeout('go()', 1)", "el.setAttribute('onclick', x)", "a.href = 'javascript:go()'")) {
            assertFalse(problemsOfScript("x.js", bad).isEmpty(), bad);
        }
    }
}
