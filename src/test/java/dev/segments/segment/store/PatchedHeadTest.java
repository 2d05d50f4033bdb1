package dev.segments.segment.store;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.admin;
import static dev.segments.testing.Api.segmentWithUsers;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.dynamo.Attributes;
import dev.segments.dynamo.Table;
import dev.segments.segment.Segment;
import dev.segments.segment.TargetRef;
import dev.segments.testing.Api;
import dev.segments.testing.Api.Fixture;
import dev.segments.testing.StoreFaults;
import dev.segments.testing.StoreProxy.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A change to a big segment goes into its head's patch, and the changed bucket's chunk is written
 * along with the head ({@link Chunks}). The head alone holds the segment: read from the table as
 * an instance that holds nothing reads it, it has every change; a chunk written alongside that
 * was never stored takes nothing with it and is never named; a patch past its limit goes into
 * chunks written before the head.
 */
@QuarkusTest
@TestProfile(StoreFaults.ShortDeadline.class)
class PatchedHeadTest {

    @Inject
    Table table;

    @AfterEach
    void heal() {
        StoreFaults.proxy.heal();
    }

    @Test
    void aChunkWrittenAlongsideThatWasNeverStoredLosesNothingAndIsNeverNamed() {
        Big big = big("alongside");
        List<String> users = big.users();
        Fixture f = big.fixture();
        long date = big.date();
        List<String> before = big.chunkIds();

        // Every chunk write refused: the head's write is the only one stored.
        StoreFaults.proxy.failRandomly(1.0, 3, Set.of("BatchWriteItem"), List.of(Fault.THROTTLING));
        Api.patchExpiring(f, add(users.get(0), date)).then().statusCode(200);
        StoreFaults.proxy.heal();
        Map<Integer, String> pending = HeadItem.pending(head(f));
        assertEquals(1, pending.size(), "the changed bucket's chunk is pending");
        assertFalse(chunkExists(f, pending.values().iterator().next()), "and was never stored");
        assertEquals(before, HeadItem.chunkIds(head(f)));
        assertEquals(Set.of(users.get(0)), scheduled(f), "the head holds the change");

        Api.patchExpiring(f, add(users.get(1), date)).then().statusCode(200);
        Api.patchExpiring(f, add(users.get(2), date)).then().statusCode(200);
        for (String id : HeadItem.chunkIds(head(f))) {
            assertTrue(chunkExists(f, id), "the head names chunk " + id + ", which is missing");
        }
        assertEquals(Set.of(users.get(0), users.get(1), users.get(2)), scheduled(f));
        admin().get(f.expiringPath()).then().statusCode(200).body("items.size()", equalTo(3));
    }

    @Test
    void aWarmInstanceNamesTheChunksItSawStoredAndAColdReadAgrees() {
        Big big = big("warm");
        List<String> users = big.users();
        Fixture f = big.fixture();
        long date = big.date();
        List<String> before = big.chunkIds();
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 12; i++) {
            Api.patchExpiring(f, add(users.get(i * 97), date)).then().statusCode(200);
            expected.add(users.get(i * 97));
        }
        Map<String, AttributeValue> head = head(f);
        List<String> changed = new ArrayList<>(HeadItem.chunkIds(head));
        changed.removeAll(before);
        assertFalse(changed.isEmpty(), "chunks written along with earlier heads are named");
        assertTrue(HeadItem.patch(head).bytes() < 1024, "the patch holds the last change or two: " + HeadItem.patch(head).bytes());
        for (String id : HeadItem.referencedChunks(head)) {
            assertTrue(chunkExists(f, id), "chunk " + id);
        }
        assertEquals(expected, scheduled(f));
    }

    @Test
    void aChangeBeyondThePatchLimitIsWrittenToChunksFirst() {
        Big big = big("beyond");
        List<String> users = big.users();
        Fixture f = big.fixture();
        long date = big.date();
        List<String> before = big.chunkIds();
        List<Object> instructions = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 80; i++) {
            instructions.add(add(users.get(i * 41), date));
            expected.add(users.get(i * 41));
        }
        Api.patchExpiring(f, instructions.toArray()).then().statusCode(200);
        Map<String, AttributeValue> head = head(f);
        assertTrue(HeadItem.patch(head).isEmpty() && HeadItem.pending(head).isEmpty(), "no patch: " + head.keySet());
        assertFalse(before.equals(HeadItem.chunkIds(head)), "the changed buckets have new chunks");
        assertEquals(expected, scheduled(f));
    }

    /** A segment of 4,000 users, in chunks: its users, fixture, the chunks its head names, and a date a day ahead. */
    private record Big(List<String> users, Fixture fixture, List<String> chunkIds, long date) {
    }

    private Big big(String prefix) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            users.add(String.format("%s-user-%05d@example.com", prefix, i));
        }
        Fixture f = segmentWithUsers(users.toArray(String[]::new));
        return new Big(users, f, HeadItem.chunkIds(head(f)), System.currentTimeMillis() + 86_400_000L);
    }

    /** The keys of the scheduled users, read from the table alone: the head, the chunks it names, its patch over them. */
    private Set<String> scheduled(Fixture f) {
        Map<String, AttributeValue> head = head(f);
        List<String> chunkIds = HeadItem.chunkIds(head);
        List<Bucket> chunks = new ArrayList<>();
        for (String id : chunkIds) {
            Map<String, AttributeValue> chunk = chunk(f, id);
            assertNotNull(chunk, "chunk " + id);
            chunks.add(SegmentCodec.decode(chunk.get("data").s()));
        }
        Segment segment = HeadItem.segment(head, Chunks.Placed.of(chunkIds, chunks, HeadItem.patch(head), HeadItem.pending(head)).buckets());
        Set<String> keys = new TreeSet<>();
        for (TargetRef ref : segment.schedules().keySet()) {
            keys.add(ref.key());
        }
        return keys;
    }

    private Map<String, AttributeValue> head(Fixture f) {
        return direct().getItem(g -> g.tableName(table.name()).consistentRead(true)
                .key(Attributes.key(HeadItem.pk(f.project(), f.environment()), f.segment()))).item();
    }

    private boolean chunkExists(Fixture f, String id) {
        return chunk(f, id) != null;
    }

    private Map<String, AttributeValue> chunk(Fixture f, String id) {
        Map<String, AttributeValue> item = direct().getItem(g -> g.tableName(table.name()).consistentRead(true)
                .key(Attributes.key("CHUNK#" + f.project() + "#" + f.environment() + "#" + f.segment(), id))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static DynamoDbClient direct() {
        return StoreFaults.direct();
    }
}
