package dev.segments.segment.store;

import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.dynamo.Attributes;
import dev.segments.dynamo.ItemSize;
import dev.segments.dynamo.Table;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.Dynalite;
import dev.segments.testing.SweeperOff;
import dev.segments.web.AppClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * A segment's head item holds its details, its targets while they are few, and the changes of
 * its latest commit. Every part is bounded, so that the head stays under about 350 KB, well
 * inside DynamoDB's 400 KB item limit: built here with the worst of every part at once, against
 * dynalite, and measured by DynamoDB's rules (UTF-8 bytes; dynalite itself counts UTF-16 units).
 */
@QuarkusTest
@QuarkusTestResource(Dynalite.class)
@TestProfile(SweeperOff.class)
class HeadSizeTest {

    static final int ABOUT_350_KB = 350 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AppClock clock;

    @Inject
    Table table;

    @AfterEach
    void realTime() {
        clock.use(Clock.systemUTC());
    }

    void at(long millis) {
        clock.use(Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    /** 512 UTF-8 bytes that grow the most when stored in the history: control characters, each written as \u0001. */
    static String worstKey(String prefix, int i) {
        String unique = prefix + i;
        return unique + "\u0001".repeat(512 - unique.length());
    }

    /** The most UTF-8 bytes a text of {@code length} characters can take as an attribute: 3 per character. */
    static String widest(String unique, int length) {
        return unique + "€".repeat(length - unique.length());
    }

    /** The body as UTF-8 bytes: a semantic patch's media type names no charset, and the client would not send '€' as UTF-8. */
    static byte[] utf8(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Fixture worstSegment() {
        Fixture f = new Fixture(Api.unique("p"), "production", Api.unique("s"));
        admin().contentType(ContentType.JSON).body(Map.of("key", f.project(), "name", "P", "environments",
                List.of(Map.of("key", f.environment(), "name", "E", "color", "417505")))).post("/api/v2/projects").then().statusCode(201);
        List<String> tags = IntStream.range(0, 50).mapToObj(i -> widest("t" + i, 64)).toList();
        admin().contentType(ContentType.JSON).body(Map.of("key", f.segment(), "name", widest("n", 256),
                        "description", widest("d", 4096), "tags", tags))
                .post("/api/v2/segments/" + f.project() + "/" + f.environment()).then().statusCode(201);
        return f;
    }

    @Test
    void theWorstOfEveryPartAtOnceKeepsTheHeadUnder350KB() {
        long t0 = System.currentTimeMillis();
        at(t0);
        String writer = admin().contentType(ContentType.JSON).body(Map.of("name", "\u0001".repeat(256), "role", "writer"))
                .post("/api/v2/tokens").then().statusCode(201).extract().path("token");
        Fixture f = worstSegment();
        List<String> due = IntStream.range(0, 60).mapToObj(i -> worstKey("d", i)).toList();
        List<String> removed = IntStream.range(0, 60).mapToObj(i -> worstKey("r", i)).toList();
        List<String> staying = IntStream.range(0, 10).mapToObj(i -> worstKey("s", i)).toList();
        List<String> all = new ArrayList<>(due);
        all.addAll(removed);
        all.addAll(staying);
        admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "instructions",
                List.of(Map.of("kind", "addIncludedUsers", "values", all)))).patch(f.segmentPath()).then().statusCode(200);
        Api.patchExpiring(f, due.stream().map(u -> Api.add(u, t0 + 60_000)).toArray()).then().statusCode(200)
                .body("failedInstructions", equalTo(0));

        // One commit carries out 60 removals (the service's change) and the request's change.
        at(t0 + 120_000);
        as(writer).contentType(Api.SEMANTIC_PATCH).body(utf8(Map.of("environmentKey", f.environment(), "comment", "\u0001".repeat(4096),
                        "instructions", List.of(Map.of("kind", "removeIncludedUsers", "values", removed),
                                Map.of("kind", "updateName", "value", widest("m", 256)),
                                Map.of("kind", "updateDescription", "value", widest("e", 4096)),
                                Map.of("kind", "removeTags", "values", List.of(widest("t0", 64))),
                                Map.of("kind", "addTags", "values", List.of(widest("u0", 64)))))))
                .patch(f.segmentPath()).then().statusCode(200).body("included", equalTo(staying))
                .body("name", equalTo(widest("m", 256))).body("tags", hasItem(widest("u0", 64)));

        Map<String, AttributeValue> head = table.client().getItem(g -> g.tableName(table.name()).consistentRead(true)
                .key(Attributes.key("SEGMENTS#" + f.project() + "#" + f.environment(), f.segment()))).item();
        long size = ItemSize.of(head);
        System.out.printf("Worst head: %,d bytes (held entries %,d, inline targets %,d)%n", size,
                head.get(AuditEntry.HELD).s().getBytes(StandardCharsets.UTF_8).length,
                head.containsKey("data") ? head.get("data").s().getBytes(StandardCharsets.UTF_8).length : 0);
        assertTrue(size <= ABOUT_350_KB, "the head takes " + size + " bytes");
        // Its audit entries read back whole.
        admin().queryParam("spec", "proj/" + f.project() + ":env/" + f.environment() + ":segment/" + f.segment())
                .get("/api/v2/auditlog").then().statusCode(200).body("items.size()", equalTo(5));
    }

    /**
     * A head holds the entries of several recent commits only while they fit: commits with the
     * largest effects copy the earlier ones out at once instead of passing the bound.
     */
    @Test
    void commitsWithLargeEffectsCopyTheEarlierOnesOutBeforeTheHeadPassesItsBound() {
        Fixture f = worstSegment();
        for (int round = 0; round < 6; round++) {
            String prefix = "b" + round + "-";
            List<String> users = IntStream.range(0, 60).mapToObj(i -> worstKey(prefix, i)).toList();
            for (String kind : List.of("addIncludedUsers", "removeIncludedUsers")) {
                admin().contentType(Api.SEMANTIC_PATCH).body(Map.of("environmentKey", f.environment(), "instructions",
                        List.of(Map.of("kind", kind, "values", users)))).patch(f.segmentPath()).then().statusCode(200);
                Map<String, AttributeValue> head = table.client().getItem(g -> g.tableName(table.name()).consistentRead(true)
                        .key(Attributes.key("SEGMENTS#" + f.project() + "#" + f.environment(), f.segment()))).item();
                assertTrue(ItemSize.of(head) <= ABOUT_350_KB, "the head takes " + ItemSize.of(head) + " bytes");
            }
        }
        admin().queryParam("spec", "proj/" + f.project() + ":env/" + f.environment() + ":segment/" + f.segment())
                .queryParam("limit", 20).get("/api/v2/auditlog").then().statusCode(200).body("items.size()", equalTo(13));
    }

    /**
     * The size the store checks heads by is the one DynamoDB holds items to. Dynalite counts a
     * string's UTF-16 units where DynamoDB counts its UTF-8 bytes, so they agree on ASCII.
     */
    @Test
    void itemSizeIsWhatTheStoreMeasuresAgainst() {
        Map<String, AttributeValue> item = new java.util.HashMap<>(Attributes.key("ITEMSIZE#" + Api.unique("t"), "edge"));
        item.put("name", Attributes.s("n".repeat(1000)));
        item.put("list", Attributes.strings(List.of("a", "bb", "ccc")));
        long rest = ItemSize.of(item) + "data".length();
        item.put("data", Attributes.s("x".repeat((int) (400 * 1024 - rest))));
        assertEquals(400 * 1024, ItemSize.of(item));
        table.client().putItem(p -> p.tableName(table.name()).item(item));
        item.put("data", Attributes.s(item.get("data").s() + "x"));
        assertThrows(DynamoDbException.class, () -> table.client().putItem(p -> p.tableName(table.name()).item(item)),
                "one byte over 400 KB");
    }

    @Test
    void aHeadOverTheLimitIsRefusedWithAMessageNamingIt() {
        Map<String, AttributeValue> head = new java.util.HashMap<>(Attributes.key("SEGMENTS#p#e", "s"));
        head.put("history", Attributes.s("x".repeat((int) HeadSize.MAX_BYTES)));
        TooLarge refused = assertThrows(TooLarge.class, () -> HeadSize.require(head, new dev.segments.segment.SegmentKey("p", "e", "s")));
        assertTrue(refused.getMessage().contains("358,400 bytes"), refused.getMessage());
        head.put("history", Attributes.s("x".repeat((int) HeadSize.MAX_BYTES - 100)));
        HeadSize.require(head, new dev.segments.segment.SegmentKey("p", "e", "s"));
    }

    @Test
    void tagsAreBoundedInTotalAndARefusalNamesTheLimit() {
        Fixture f = worstSegment();
        List<Map<String, Object>> addTags = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            int instruction = i;
            // 250 x 50 tags of 64 ASCII characters: 800 KB of tags in a body under 1 MiB.
            addTags.add(Map.of("kind", "addTags", "values", IntStream.range(0, 50)
                    .mapToObj(j -> ("x" + instruction + "-" + j + "-").repeat(16).substring(0, 64)).toList()));
        }
        admin().contentType(Api.SEMANTIC_PATCH).body(utf8(Map.of("environmentKey", f.environment(), "instructions", addTags)))
                .patch(f.segmentPath()).then().statusCode(400).body("code", equalTo("invalid_request"))
                .body("message", containsString("50 tags"));
        assertEquals(50, admin().get(f.segmentPath()).then().statusCode(200).extract().jsonPath().getList("tags").size());
    }
}
