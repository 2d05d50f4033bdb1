package dev.segments.segment.store;

import static dev.segments.testing.Api.add;
import static dev.segments.testing.Api.remove;
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
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A change to a big segment goes into its head's patch, written with the head alone while the
 * patch is small, and with the chunks of its buckets along with the head past that
 * ({@link Chunks}). The head alone holds the segment: read from the table as an instance that
 * holds nothing reads it, it has every change; a chunk written alongside that was never stored
 * takes nothing with it and is never named; a patch past its limit goes into chunks written
 * before the head.
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
    void aSmallPatchIsWrittenWithTheHeadAloneAndPastItsBoundItsBucketsGetChunks() {
        Big big = big("bound");
        List<String> users = big.users();
        Fixture f = big.fixture();
        long date = big.date();
        List<String> before = big.chunkIds();

        // The same user's removal, scheduled and cancelled again and again: at most one entry in the patch, no chunk written.
        StoreFaults.proxy.resetCounts();
        for (int i = 0; i < 5; i++) {
            Api.patchExpiring(f, i % 2 == 0 ? add(users.get(0), date) : remove(users.get(0))).then().statusCode(200);
        }
        assertEquals(Map.of("PutItem", 5L), writes(), "each change wrote its head alone");
        Map<String, AttributeValue> head = head(f);
        assertEquals(before, HeadItem.chunkIds(head));
        assertEquals(Map.of(), HeadItem.pending(head));
        assertEquals(Set.of(users.get(0)), scheduled(f), "the head holds the change");

        // Ten more users: the patch passes its bound, and every bucket it has entries in gets a chunk.
        List<String> ten = Api.spread(users, 331);
        Set<String> expected = new TreeSet<>(ten);
        expected.add(users.get(0));
        Api.patchExpiring(f, Api.addAll(ten, date)).then().statusCode(200);
        head = head(f);
        Patch patch = HeadItem.patch(head);
        assertTrue(patch.bytes() > Layout.DEFAULT.pendingAbove(), "past the bound: " + patch.bytes());
        Map<Integer, String> pending = HeadItem.pending(head);
        assertEquals(patch.buckets(before.size()), pending.keySet(), "a chunk pending for each patched bucket");
        for (String id : pending.values()) {
            assertTrue(chunkExists(f, id), "pending chunk " + id);
        }

        // The next change names them, and the patch holds that change alone.
        Api.patchExpiring(f, add(users.get(2), date)).then().statusCode(200);
        expected.add(users.get(2));
        head = head(f);
        assertTrue(HeadItem.chunkIds(head).containsAll(pending.values()), "the pending chunks are named");
        assertEquals(1, HeadItem.patch(head).targets().size(), "the patch holds the last change: " + HeadItem.patch(head).targets());
        assertEquals(expected, scheduled(f));
        admin().get(f.expiringPath()).then().statusCode(200).body("items.size()", equalTo(expected.size()));
    }

    @Test
    void aChunkWrittenAlongsideThatWasNeverStoredLosesNothingAndIsNeverNamed() {
        Big big = big("alongside");
        List<String> users = big.users();
        Fixture f = big.fixture();
        long date = big.date();
        List<String> before = big.chunkIds();

        // A change that takes the patch past its bound, with every chunk write refused: the head's write is the only one stored.
        List<String> ten = Api.spread(users, 0);
        Set<String> expected = new TreeSet<>(ten);
        StoreFaults.proxy.failRandomly(1.0, 3, Set.of("BatchWriteItem"), List.of(Fault.THROTTLING));
        Api.patchExpiring(f, Api.addAll(ten, date)).then().statusCode(200);
        StoreFaults.proxy.heal();
        Map<Integer, String> pending = HeadItem.pending(head(f));
        assertFalse(pending.isEmpty(), "the patched buckets' chunks are pending");
        for (String id : pending.values()) {
            assertFalse(chunkExists(f, id), "and were never stored: " + id);
        }
        assertEquals(before, HeadItem.chunkIds(head(f)));
        assertEquals(expected, scheduled(f), "the head holds the change");

        Api.patchExpiring(f, add(users.get(1), date)).then().statusCode(200);
        Api.patchExpiring(f, add(users.get(2), date)).then().statusCode(200);
        expected.addAll(Set.of(users.get(1), users.get(2)));
        for (String id : HeadItem.chunkIds(head(f))) {
            assertTrue(chunkExists(f, id), "the head names chunk " + id + ", which is missing");
        }
        assertEquals(expected, scheduled(f));
        admin().get(f.expiringPath()).then().statusCode(200).body("items.size()", equalTo(expected.size()));
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

    /** The writes the store proxy passed on since its counts were reset, by operation. */
    private static Map<String, Long> writes() {
        Map<String, Long> writes = new TreeMap<>(StoreFaults.proxy.calls());
        writes.keySet().retainAll(Set.of("PutItem", "BatchWriteItem", "UpdateItem", "DeleteItem"));
        return writes;
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
