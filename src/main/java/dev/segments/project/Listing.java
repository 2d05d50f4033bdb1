package dev.segments.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.web.ApiError;
import dev.segments.web.Paging;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A list of projects or environments as LaunchDarkly serves it: {@code filter=query:abc,tags:a+b}
 * (every filter must match; not case sensitive), {@code sort=name,-createdOn} (a dash sorts
 * descending), then one page of it. An unknown filter or sort field is a 400 that lists the
 * ones this list supports.
 *
 * @param filters the {@code filter} fields, each matching an item against a lower-case value
 * @param sorts the {@code sort} fields
 * @param order the order without {@code sort}, and the tie-break after it
 */
record Listing<T>(Map<String, BiPredicate<T, String>> filters, Map<String, Comparator<T>> sorts, Comparator<T> order) {

    /** The items that pass the filter, in the order asked for. */
    List<T> select(List<T> all, String filter, String sort) {
        return all.stream().filter(matching(filter)).sorted(ordered(sort)).toList();
    }

    /** One page of the selected items, with {@code totalCount} and the page links; {@code query} holds the parameters the links keep. */
    static <T> ObjectNode page(List<T> selected, Paging paging, String path, Map<String, String> query, Function<T, JsonNode> render) {
        ObjectNode rep = JsonNodeFactory.instance.objectNode();
        ArrayNode items = rep.putArray("items");
        paging.page(selected).forEach(item -> items.add(render.apply(item)));
        rep.put("totalCount", selected.size());
        rep.set("_links", paging.links(path, query, selected.size()));
        return rep;
    }

    private Predicate<T> matching(String filter) {
        Predicate<T> all = item -> true;
        if (filter == null || filter.isBlank()) {
            return all;
        }
        for (String part : filter.split(",")) {
            int colon = part.indexOf(':');
            BiPredicate<T, String> matcher = colon < 0 ? null : filters.get(part.substring(0, colon).strip());
            if (matcher == null) {
                throw ApiError.invalid("The filter \"" + part + "\" is not one this list supports: use field:value with the fields "
                        + String.join(", ", filters.keySet().stream().sorted().toList()) + ", separated by commas.");
            }
            String value = part.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            all = all.and(item -> matcher.test(item, value));
        }
        return all;
    }

    private Comparator<T> ordered(String sort) {
        Comparator<T> ordered = (a, b) -> 0;
        if (sort != null && !sort.isBlank()) {
            for (String part : sort.split(",")) {
                String name = part.strip();
                boolean descending = name.startsWith("-");
                Comparator<T> field = sorts.get(descending ? name.substring(1) : name);
                if (field == null) {
                    throw ApiError.invalid("This list cannot be sorted by \"" + name + "\". Sort by "
                            + String.join(", ", sorts.keySet().stream().sorted().toList())
                            + "; prefix a field with - for descending order.");
                }
                ordered = ordered.thenComparing(descending ? field.reversed() : field);
            }
        }
        return ordered.thenComparing(order);
    }

    /** Whether the text holds the (lower-case) query, ignoring case. */
    static boolean contains(String text, String query) {
        return text.toLowerCase(Locale.ROOT).contains(query);
    }

    /** Whether every tag of the {@code +}-separated list is among {@code tags}, ignoring case ({@code +} may arrive decoded as a space). */
    static boolean hasAll(List<String> tags, String wanted) {
        List<String> have = tags.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        return Arrays.stream(wanted.split("[+ ]")).filter(t -> !t.isEmpty()).allMatch(have::contains);
    }

    /** Whether the key is one of the {@code |}-separated keys, ignoring case. */
    static boolean isOneOf(String key, String keys) {
        return Arrays.asList(keys.split("\\|")).contains(key.toLowerCase(Locale.ROOT));
    }
}
