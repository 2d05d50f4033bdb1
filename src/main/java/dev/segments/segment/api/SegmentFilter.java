package dev.segments.segment.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.segment.SegmentSummary;
import dev.segments.web.ApiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * getSegments' {@code filter}, as LaunchDarkly documents it: clauses {@code field operator value}
 * joined by {@code ,} (and, binding closer) and {@code |} (or), grouped by parentheses, e.g.
 * {@code tags anyOf ["beta"],query equals "toggle"}. Values are JSON strings, lists of them, or
 * {@code true}/{@code false}. Of LaunchDarkly's fields, those that mean something for standard
 * segments: {@code query}, {@code tags}, {@code includedKeys}, {@code excludedKeys},
 * {@code unbounded}; any other field is refused.
 */
final class SegmentFilter {

    static final int MAX_LENGTH = 2000;
    /** Parentheses within parentheses; the parser recurses once per level. */
    static final int MAX_DEPTH = 16;
    private static final String FIELDS = "query (equals), tags (anyOf), includedKeys (anyOf), excludedKeys (anyOf), unbounded (equals)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String text;
    private int at;
    private int depth;

    private SegmentFilter(String text) {
        this.text = text;
    }

    /** The segments the filter selects; all of them without one. */
    static Predicate<SegmentSummary> parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return segment -> true;
        }
        if (filter.length() > MAX_LENGTH) {
            throw ApiError.invalid("The filter is " + filter.length() + " characters long; the limit is " + MAX_LENGTH + ".");
        }
        SegmentFilter parser = new SegmentFilter(filter);
        Predicate<SegmentSummary> predicate = parser.anyOf();
        if (parser.peek() != 0) {
            throw parser.invalid("expected \",\", \"|\" or the end");
        }
        return predicate;
    }

    private Predicate<SegmentSummary> anyOf() {
        Predicate<SegmentSummary> predicate = allOf();
        while (skip('|')) {
            predicate = predicate.or(allOf());
        }
        return predicate;
    }

    private Predicate<SegmentSummary> allOf() {
        Predicate<SegmentSummary> predicate = one();
        while (skip(',')) {
            predicate = predicate.and(one());
        }
        return predicate;
    }

    private Predicate<SegmentSummary> one() {
        if (skip('(')) {
            if (++depth > MAX_DEPTH) {
                throw invalid("parentheses nest deeper than " + MAX_DEPTH + " levels");
            }
            Predicate<SegmentSummary> grouped = anyOf();
            depth--;
            if (!skip(')')) {
                throw invalid("expected \")\"");
            }
            return grouped;
        }
        String field = word("a field");
        String operator = word("an operator");
        return switch (field) {
            case "query" -> {
                requireOperator(field, operator, "equals");
                List<String> needles = stringOrList().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
                yield segment -> needles.stream().anyMatch(needle -> contains(segment.key().key(), needle)
                        || contains(segment.name(), needle) || contains(segment.description(), needle));
            }
            case "tags" -> {
                requireOperator(field, operator, "anyOf");
                List<String> tags = list();
                yield segment -> segment.tags().stream().anyMatch(tags::contains);
            }
            case "includedKeys" -> {
                requireOperator(field, operator, "anyOf");
                List<String> keys = list();
                yield segment -> keys.contains(segment.key().key());
            }
            case "excludedKeys" -> {
                requireOperator(field, operator, "anyOf");
                List<String> keys = list();
                yield segment -> !keys.contains(segment.key().key());
            }
            case "unbounded" -> {
                requireOperator(field, operator, "equals");
                // Every segment here is a standard (bounded) segment.
                boolean unbounded = bool();
                yield segment -> !unbounded;
            }
            default -> throw ApiError.invalid("The filter field \"" + field + "\" is not one this service filters segments by."
                    + " Use " + FIELDS + ", combined with \",\" (and), \"|\" (or) and parentheses.");
        };
    }

    private void requireOperator(String field, String operator, String expected) {
        if (!operator.equals(expected)) {
            throw ApiError.invalid("The filter field \"" + field + "\" takes the operator " + expected + ", not \"" + operator + "\".");
        }
    }

    private List<String> stringOrList() {
        return peek() == '[' ? list() : List.of(string());
    }

    private List<String> list() {
        if (!skip('[')) {
            throw invalid("expected a list such as [\"a\", \"b\"]");
        }
        List<String> values = new ArrayList<>();
        if (skip(']')) {
            return values;
        }
        do {
            values.add(string());
        } while (skip(','));
        if (!skip(']')) {
            throw invalid("expected \",\" or \"]\"");
        }
        return values;
    }

    private String string() {
        if (peek() != '"') {
            throw invalid("expected a string in double quotes");
        }
        int start = at;
        at++;
        while (at < text.length() && text.charAt(at) != '"') {
            at += text.charAt(at) == '\\' ? 2 : 1;
        }
        if (at >= text.length()) {
            throw invalid("the string does not end");
        }
        at++;
        try {
            return JSON.readValue(text.substring(start, at), String.class);
        } catch (JsonProcessingException e) {
            throw invalid("the string is not a valid JSON string");
        }
    }

    private boolean bool() {
        String value = word("true or false");
        if (!value.equals("true") && !value.equals("false")) {
            throw invalid("expected true or false");
        }
        return value.equals("true");
    }

    private String word(String what) {
        peek();
        int start = at;
        while (at < text.length() && Character.isLetter(text.charAt(at))) {
            at++;
        }
        if (start == at) {
            throw invalid("expected " + what);
        }
        return text.substring(start, at);
    }

    /** The next character after blanks, or 0 at the end. */
    private char peek() {
        while (at < text.length() && text.charAt(at) == ' ') {
            at++;
        }
        return at < text.length() ? text.charAt(at) : 0;
    }

    private boolean skip(char c) {
        if (peek() == c) {
            at++;
            return true;
        }
        return false;
    }

    private ApiError invalid(String problem) {
        return ApiError.invalid("The filter cannot be read at character " + (at + 1) + ": " + problem + ". Write clauses as"
                + " field operator value, e.g. tags anyOf [\"beta\"],query equals \"toggle\", with " + FIELDS + ".");
    }

    private static boolean contains(String text, String lowerNeedle) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(lowerNeedle);
    }
}
