package dev.segments.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PagingTest {

    static final List<Integer> ITEMS = IntStream.range(0, 45).boxed().toList();

    @Test
    void defaultsAndBounds() {
        assertEquals(new Paging(20, 0), Paging.parse(null, null, 20, 50));
        assertEquals(new Paging(5, 40), Paging.parse("5", "40", 20, 50));
        for (String[] bad : new String[][] {{"0", null}, {"51", null}, {"x", null}, {null, "-1"}, {null, "1.5"}, {"99999999999", null}}) {
            ApiError error = assertThrows(ApiError.class, () -> Paging.parse(bad[0], bad[1], 20, 50));
            assertEquals(400, error.status());
        }
    }

    @Test
    void pagesCoverTheListOnceInOrder() {
        Paging first = new Paging(20, 0);
        assertEquals(ITEMS.subList(0, 20), first.page(ITEMS));
        assertEquals(ITEMS.subList(40, 45), new Paging(20, 40).page(ITEMS));
        assertEquals(List.of(), new Paging(20, 45).page(ITEMS));
        assertEquals(List.of(), new Paging(20, Integer.MAX_VALUE).page(ITEMS));
    }

    @Test
    void linksExistOnlyWherePagesDoAndKeepTheQuery() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("filter", "query:a b");
        query.put("sort", null);
        ObjectNode first = new Paging(20, 0).links("/api/v2/projects", query, 45);
        assertEquals("/api/v2/projects?limit=20&offset=0&filter=query%3Aa+b", first.get("self").get("href").asText());
        assertFalse(first.has("prev"));
        assertFalse(first.has("first"));
        assertEquals("/api/v2/projects?limit=20&offset=20&filter=query%3Aa+b", first.get("next").get("href").asText());
        assertEquals("/api/v2/projects?limit=20&offset=40&filter=query%3Aa+b", first.get("last").get("href").asText());

        ObjectNode last = new Paging(20, 40).links("/api/v2/projects", Map.of(), 45);
        assertFalse(last.has("next"));
        assertEquals("/api/v2/projects?limit=20&offset=20", last.get("prev").get("href").asText());
        assertEquals("/api/v2/projects?limit=20&offset=0", last.get("first").get("href").asText());
        assertFalse(new Paging(20, 0).links("/p", Map.of(), 20).has("next"));
    }

    @Test
    void aPageThatStoppedEarlyContinuesRightAfterItsLastItem() {
        ObjectNode stopped = new Paging(20, 20).links("/p", Map.of(), 45, 3);
        assertEquals("/p?limit=20&offset=23", stopped.get("next").get("href").asText());
        assertEquals("/p?limit=20&offset=40", stopped.get("last").get("href").asText());
        assertEquals("/p?limit=20&offset=0", stopped.get("prev").get("href").asText());
        ObjectNode nearTheEnd = new Paging(20, 40).links("/p", Map.of(), 45, 2);
        assertEquals("/p?limit=20&offset=42", nearTheEnd.get("next").get("href").asText());
        assertEquals("/p?limit=20&offset=42", nearTheEnd.get("last").get("href").asText());
        assertFalse(new Paging(20, 40).links("/p", Map.of(), 45, 5).has("next"));
    }
}
