package dev.segments.segment.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.TargetType;
import dev.segments.web.Links;
import java.util.List;
import java.util.Map;

/** Segments as LaunchDarkly's API represents them (their expiring targets: {@link ExpiringAnswer}). */
final class SegmentJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SegmentJson() {
    }

    static String segmentPath(SegmentKey key) {
        return "/api/v2/segments/" + key.projectKey() + "/" + key.environmentKey() + "/" + key.key();
    }

    static ObjectNode segment(Segment segment) {
        ObjectNode node = JSON.objectNode();
        node.put("key", segment.key().key());
        node.put("name", segment.name());
        if (segment.description() != null) {
            node.put("description", segment.description());
        }
        strings(node.putArray("tags"), segment.tags());
        node.put("creationDate", segment.creationDate());
        node.put("lastModifiedDate", segment.lastModifiedDate());
        node.put("version", segment.version());
        node.put("deleted", false);
        node.put("generation", 1);
        node.putArray("rules");
        strings(node.putArray("included"), segment.keys(TargetType.INCLUDED, "user"));
        strings(node.putArray("excluded"), segment.keys(TargetType.EXCLUDED, "user"));
        contexts(node.putArray("includedContexts"), segment.contextKeys(TargetType.INCLUDED));
        contexts(node.putArray("excludedContexts"), segment.contextKeys(TargetType.EXCLUDED));
        node.put("unbounded", false);
        node.set("_links", Links.of("self", segmentPath(segment.key())));
        return node;
    }

    static String listPath(String projectKey, String environmentKey) {
        return "/api/v2/segments/" + projectKey + "/" + environmentKey;
    }

    /** A page of a list of {@code totalCount} segments. */
    static ObjectNode segments(List<Segment> page, int totalCount, ObjectNode links) {
        ObjectNode node = JSON.objectNode();
        ArrayNode items = node.putArray("items");
        page.forEach(s -> items.add(segment(s)));
        node.put("totalCount", totalCount);
        node.set("_links", links);
        return node;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void contexts(ArrayNode array, Map<String, List<String>> byKind) {
        byKind.forEach((kind, keys) -> {
            ObjectNode target = array.addObject();
            target.put("contextKind", kind);
            strings(target.putArray("values"), keys);
        });
    }
}
