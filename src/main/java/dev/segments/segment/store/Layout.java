package dev.segments.segment.store;

/**
 * How big a segment's state may grow in one place. A small segment keeps its targets inline
 * in its head item, so a change costs one read and one write. A large one spreads them over
 * 2^n immutable chunk items by hash; a change carries what it changed in the head's patch
 * ({@link Patch}), up to {@code patchLimit}, and beyond that rewrites the chunks whose content
 * changed and then swaps the list of chunk ids in the head with the one conditional write. A
 * patch past {@code pendingAbove} has the chunks of its buckets written along with the head,
 * so that a later change can name them instead of carrying their entries (see {@link Chunks}).
 */
record Layout(int inlineLimit, int chunkTarget, int chunkLimit, int patchLimit, int pendingAbove) {

    /**
     * Limits in UTF-8 bytes, well inside DynamoDB's 400 KB per item. A change that rewrites a
     * chunk writes it and the head, which names every chunk (25 bytes each in the request, 45
     * with the UUIDs of before), so a chunk near 16 KB keeps the two small together: about
     * 25 KB for one chunk of 15,000 users, where chunks of up to 96 KB made it about 95 KB
     * (README, Big segments). A patch of 4 KB holds some 40 schedules: a warm
     * instance's changes of a few schedules each, which leave it a few buckets' entries at a
     * time, or the changes of instances that cannot name each other's chunks, for a while.
     *
     * <p>Up to 512 bytes (some six schedules) a patch is written with the head alone. A chunk
     * written with every change cost the commit a request of its own, about 0.9 ms of a 512 MB
     * function's CPU, and DynamoDB a write unit per KB of chunk (about 20 for 15,000 users); an
     * entry costs some 80 bytes of each head written until a chunk holds it. So a warm
     * instance that changes the same few targets writes its head alone, and one that changes
     * targets all over the segment writes the chunks of six or so buckets at once, about as
     * many as one per change did.
     */
    static final Layout DEFAULT = new Layout(64 * 1024, 16 * 1024, 24 * 1024, 4 * 1024, 512);

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
