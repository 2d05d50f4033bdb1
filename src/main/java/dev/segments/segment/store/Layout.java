package dev.segments.segment.store;

/**
 * How big a segment's state may grow in one place. A small segment keeps its targets inline
 * in its head item, so a change costs one read and one write. A large one spreads them over
 * 2^n immutable chunk items by hash; a change carries what it changed in the head's patch
 * ({@link Patch}), up to {@code patchLimit}, and beyond that rewrites the chunks whose content
 * changed and then swaps the list of chunk ids in the head with the one conditional write.
 */
record Layout(int inlineLimit, int chunkTarget, int chunkLimit, int patchLimit) {

    /**
     * Limits in UTF-8 bytes, well inside DynamoDB's 400 KB per item. A change rewrites one chunk
     * and the head, which names every chunk (25 bytes each in the request, 45 with the UUIDs of
     * before), so a chunk near 16 KB keeps the two small together: a one-schedule change on
     * 15,000 users sends DynamoDB about 25 KB in BigSegmentTest, where chunks of up to 96 KB
     * made it about 95 KB (README, Big segments). A patch of 4 KB holds some 40 schedules: a warm
     * instance's changes of a few schedules each, which leave it one or two buckets' entries at a
     * time, or the changes of instances that cannot name each other's chunks, for a while.
     */
    static final Layout DEFAULT = new Layout(64 * 1024, 16 * 1024, 24 * 1024, 4 * 1024);

    /** Whether buckets encoded under the current count are still acceptable. */
    boolean fits(int buckets, long total, long largest) {
        if (buckets == 1) {
            return total <= inlineLimit;
        }
        return largest <= chunkLimit && total > inlineLimit / 2;
    }

    /** A bucket count to start from for this much data; callers double it while a bucket is too big. */
    int bucketsFor(long total) {
        if (total <= inlineLimit) {
            return 1;
        }
        int buckets = 2;
        while ((long) buckets * chunkTarget < total) {
            buckets *= 2;
        }
        return buckets;
    }
}
