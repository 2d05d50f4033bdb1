package dev.segments.segment.store;

import dev.segments.dynamo.ItemSize;
import dev.segments.segment.SegmentKey;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The bound on a segment's head item, checked before a commit writes anything. The core bounds
 * every part of a head (details, tags, inline targets, the effects and comment of a commit's
 * changes), so that a head stays near 250 KB at worst; this check is what makes it certain
 * that no head meets DynamoDB's 400 KB item limit, which would fail the write half-way.
 */
final class HeadSize {

    /** About 350 KB, well inside DynamoDB's 400 KB. */
    static final long MAX_BYTES = 350 * 1024;

    private HeadSize() {
    }

    static boolean fits(Map<String, AttributeValue> head) {
        return ItemSize.of(head) <= MAX_BYTES;
    }

    static void require(Map<String, AttributeValue> head, SegmentKey key) {
        long size = ItemSize.of(head);
        if (size > MAX_BYTES) {
            throw new TooLarge(String.format(Locale.ROOT, "The change would make the stored record of segment \"%s\" %,d bytes;"
                    + " the limit is %,d bytes (DynamoDB keeps items up to 400 KB). Nothing was changed: send a shorter comment,"
                    + " fewer targets or shorter keys.", key.key(), size, MAX_BYTES));
        }
    }
}
