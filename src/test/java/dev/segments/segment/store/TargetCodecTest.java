package dev.segments.segment.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The target buckets as stored (plain JUnit): stored chunks were laid out by the bucket
 * function and sized in UTF-8 as it was first written, so both must keep their results exactly;
 * a decoded bucket compares with a group of targets without encoding it; decoded chunks are
 * cached within a memory bound; a head's patch over a chunk keeps every target's state.
 */
class TargetCodecTest {

    /** The bucket function chunks in tables today were laid out by. */
    private static int storedBucketOf(TargetRef ref, int buckets) {
        int h = (ref.contextKind() + '\u0000' + ref.key()).hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & (buckets - 1);
    }

    @Test
    void bucketsAndSizesAreTheStoredOnes() {
        Random random = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder key = new StringBuilder();
            // Up to the longest keys (512 bytes), and kinds of any characters: bucketOf computes the hash from the parts' own.
            int length = 1 + random.nextInt(i % 10 == 0 ? 600 : 40);
            for (int c = 0; c < length; c++) {
                key.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : (char) ('a' + random.nextInt(26)));
            }
            String kind = switch (i % 4) {
                case 0 -> "user";
                case 1 -> "org-" + i % 7;
                case 2 -> "k\u00e9" + (char) random.nextInt(0x10000) + "\ud83d\ude00".repeat(random.nextInt(3));
                default -> "x".repeat(1 + random.nextInt(64));
            };
            TargetRef ref = new TargetRef(TargetType.INCLUDED, kind, key.toString());
            for (int buckets : new int[] {1, 2, 64, 1024}) {
                assertEquals(storedBucketOf(ref, buckets), SegmentCodec.bucketOf(ref, buckets), ref::toString);
            }
            assertEquals(key.toString().getBytes(StandardCharsets.UTF_8).length, SegmentCodec.utf8Length(key.toString()),
                    key::toString);
        }
    }

    @Test
    void aDecodedBucketHoldsExactlyItsTargetsAndSchedules() {
        TargetRef a = new TargetRef(TargetType.INCLUDED, "user", "a");
        TargetRef b = new TargetRef(TargetType.EXCLUDED, "org", "b");
        ExpiringTarget scheduled = new ExpiringTarget("id-a", 2, 1_800_000_000_000L, a);
        Map<TargetRef, ExpiringTarget> schedules = Map.of(a, scheduled);
        String encoded = SegmentCodec.encode(new ArrayList<>(List.of(b, a)), schedules);
        Bucket bucket = SegmentCodec.decode(encoded);

        assertEquals(encoded.getBytes(StandardCharsets.UTF_8).length, bucket.bytes());
        assertEquals(SegmentCodec.bucket(List.of(a, b), schedules, bucket.bytes()), bucket);
        assertTrue(bucket.holds(List.of(a, b), schedules));
        assertFalse(bucket.holds(List.of(a), schedules), "a target fewer");
        assertFalse(bucket.holds(List.of(a, b), Map.of()), "a schedule cancelled");
        assertFalse(bucket.holds(List.of(a, b), Map.of(a, scheduled.movedTo(1_800_000_000_001L))), "a schedule moved");
        assertFalse(bucket.holds(List.of(a, new TargetRef(TargetType.INCLUDED, "org", "b")), schedules), "a target moved");
    }

    @Test
    void theCacheKeepsTheMostRecentlyUsedChunksWithinItsBound() {
        Bucket chunk = SegmentCodec.decode("[[\"i\",\"user\",\"u\"]]");
        long one = 2 * chunk.bytes() + 300;
        ChunkCache cache = new ChunkCache(3 * one);
        cache.put("c1", chunk);
        cache.put("c2", chunk);
        cache.put("c3", chunk);
        assertNotNull(cache.get("c1"));
        cache.put("c4", chunk);
        assertNull(cache.get("c2"), "the least recently used went first");
        assertNotNull(cache.get("c1"));
        assertNotNull(cache.get("c3"));
        assertNotNull(cache.get("c4"));
    }

    @Test
    void aPatchKeepsEachTargetsStateAndChangesItsChunkToTheSegmentsBucket() {
        TargetRef kept = new TargetRef(TargetType.INCLUDED, "user", "kept");
        TargetRef gone = new TargetRef(TargetType.INCLUDED, "user", "gone \"quoted\" \u00e9");
        TargetRef moved = new TargetRef(TargetType.EXCLUDED, "org", "moved");
        TargetRef added = new TargetRef(TargetType.INCLUDED, "k\u00e9", "added");
        ExpiringTarget before = new ExpiringTarget("id-m", 1, 1_800_000_000_000L, moved);
        ExpiringTarget after = before.movedTo(1_800_000_100_000L);
        Bucket chunk = SegmentCodec.decode(SegmentCodec.encode(new ArrayList<>(List.of(kept, gone, moved)), Map.of(moved, before)));
        Bucket now = SegmentCodec.decode(SegmentCodec.encode(new ArrayList<>(List.of(kept, moved, added)), Map.of(moved, after)));

        Patch patch = Patch.NONE.over(Map.of(0, now), List.of(chunk));
        assertEquals(Set.of(gone, moved, added), patch.targets(), "only what differs from the chunk");
        Patch read = Patch.decode(patch.encoded());
        assertEquals(patch, read);
        assertEquals(patch.encoded(), read.encoded(), "encoded the same every time");
        assertEquals(List.of(now), read.apply(List.of(chunk)));
        assertTrue(read.without(Set.of(0), 1).isEmpty());
        assertEquals(Set.of(0), read.buckets(1));
        assertTrue(Patch.NONE.over(Map.of(0, chunk), List.of(chunk)).isEmpty());
    }
}
