package dev.segments.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LaunchDarkly's offset paging of a list: {@code limit} and {@code offset} in the query, the
 * page's items with {@code totalCount}, and {@code _links} with {@code self} and, where those
 * pages exist, {@code first}, {@code prev}, {@code next} and {@code last}. Lists of projects,
 * environments and segments all page this way.
 */
public record Paging(int limit, int offset) {

    /**
     * Reads {@code limit} and {@code offset} as the query gave them (null when absent); 400 for
     * anything but whole numbers, a limit from 1 to {@code maxLimit}, and an offset of 0 or more.
     */
    public static Paging parse(String limit, String offset, int defaultLimit, int maxLimit) {
        int size = limit == null ? defaultLimit : (int) Math.min(Integer.MAX_VALUE, number("limit", limit));
        if (size < 1 || size > maxLimit) {
            throw ApiError.invalid("limit must be between 1 and " + maxLimit + "; it was " + limit + ".");
        }
        long skip = offset == null ? 0 : number("offset", offset);
        if (skip < 0) {
            throw ApiError.invalid("offset must be 0 or more; it was " + offset + ".");
        }
        return new Paging(size, (int) Math.min(Integer.MAX_VALUE, skip));
    }

    /** The items of this page, out of all of them in list order. */
    public <T> List<T> page(List<T> all) {
        if (offset >= all.size()) {
            return List.of();
        }
        return new ArrayList<>(all.subList(offset, (int) Math.min(all.size(), (long) offset + limit)));
    }

    /**
     * The links of this page of {@code total} items at {@code path}; {@code query} holds the
     * request's other parameters (filter, sort, ...), which every link keeps.
     */
    public ObjectNode links(String path, Map<String, String> query, int total) {
        return links(path, query, total, limit);
    }

    /**
     * The links of a page that ended after {@code taken} of the list's items, fewer than
     * {@code limit} when it had to stop early (a size bound): {@code next} continues right after them.
     */
    public ObjectNode links(String path, Map<String, String> query, int total, int taken) {
        List<String> relAndHref = new ArrayList<>(List.of("self", href(path, query, offset)));
        if (offset > 0) {
            relAndHref.addAll(List.of("first", href(path, query, 0), "prev", href(path, query, Math.max(0, offset - limit))));
        }
        long next = (long) offset + taken;
        if (next < total) {
            int last = (int) Math.max(next, (total - 1) / limit * limit);
            relAndHref.addAll(List.of("next", href(path, query, (int) next), "last", href(path, query, last)));
        }
        return Links.of(relAndHref.toArray(String[]::new));
    }

    private String href(String path, Map<String, String> query, int at) {
        StringBuilder href = new StringBuilder(path).append("?limit=").append(limit).append("&offset=").append(at);
        query.forEach((name, value) -> {
            if (value != null) {
                href.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return href.toString();
    }

    private static long number(String name, String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw ApiError.invalid(name + " must be a whole number; it was \"" + text + "\".");
        }
    }
}
