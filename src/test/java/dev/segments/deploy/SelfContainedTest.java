package dev.segments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A clone builds, runs and tests from the repository alone: nothing under {@code src/} and
 * nothing in {@code run-local.sh} reaches for the folder of reference material that sits beside
 * the clone on the development machines, and the README sends users nowhere into it except the native-build tooling that
 * CI uses (which a user replaces with Mandrel's builder image or a local GraalVM).
 */
class SelfContainedTest {

    /** The folder's name, spelt in two parts so that this file never names it itself. */
    static final String SHARED = "sha" + "red";
    static final String UP = "." + ".";
    /**
     * The parent folder's shared one, however a path to it is spelt: with a slash, as
     * {@code Path.of} arguments, with a Windows separator, or by its sub-folders.
     */
    static final Pattern OUTSIDE = Pattern.compile("\\.\\.[^A-Za-z0-9]{0,6}" + SHARED + "\\b"
            + "|" + SHARED + "/(reference|SPEC|tools|hooks)");
    /** A path into the shared folder, as the README might name one. */
    static final Pattern README_REFERENCE = Pattern.compile("(?:\\.\\./)?" + SHARED + "/[A-Za-z0-9._/-]*");
    static final String NATIVE_TOOLING = SHARED + "/tools/native-image";

    @Test
    void nothingUnderSrcOrInTheLocalRunReachesOutsideTheRepository() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                offenders.addAll(outsideReferences(file));
            }
        }
        offenders.addAll(outsideReferences(Path.of("run-local.sh")));
        assertEquals(List.of(), offenders);
    }

    @Test
    void theReadmeNamesNothingOutsideTheRepositoryButTheNativeTooling() throws IOException {
        assertEquals(List.of(), readmeReferences(Files.readString(Path.of("README.md"))));
    }

    @Test
    void theChecksCanFail() throws IOException {
        Path file = Files.createTempFile("outside", ".java");
        try {
            Files.writeString(file, "Path.of(\"" + UP + "\", \"" + SHARED + "\", \"reference\")\n");
            assertEquals(1, outsideReferences(file).size());
            Files.writeString(file, "see " + UP + "/" + SHARED + "/SPEC.md\n");
            assertEquals(1, outsideReferences(file).size());
        } finally {
            Files.delete(file);
        }
        assertEquals(1, readmeReferences("The contract is `" + UP + "/" + SHARED + "/SPEC.md`.").size());
        assertTrue(readmeReferences("GRAALVM_HOME=$(bash " + UP + "/" + NATIVE_TOOLING + "/setup.sh)").isEmpty());
    }

    static List<String> outsideReferences(Path file) throws IOException {
        List<String> found = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (MalformedInputException binary) {
            return found;
        }
        for (int i = 0; i < lines.size(); i++) {
            if (OUTSIDE.matcher(lines.get(i)).find()) {
                found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
        }
        return found;
    }

    static List<String> readmeReferences(String readme) {
        List<String> found = new ArrayList<>();
        Matcher m = README_REFERENCE.matcher(readme);
        while (m.find()) {
            String path = m.group().replaceFirst("^\\.\\./", "");
            if (!path.startsWith(NATIVE_TOOLING)) {
                found.add(m.group());
            }
        }
        return found;
    }
}
