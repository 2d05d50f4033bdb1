package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.n;
import static dev.segments.dynamo.Attributes.s;

import dev.segments.dynamo.StoreUnavailable;
import dev.segments.ops.Deadline;
import dev.segments.ops.RequestRecord;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The commit protocol. Every change to a segment (create, update, delete) is one PutItem of
 * its head conditioned on the head it was computed from, and its changes go into the head's
 * history with a fresh commit id. The changes of one incarnation have consecutive versions, so
 * a commit claims a slot: the version of its first change. Only one commit can ever fill a
 * slot.
 *
 * <p>DynamoDB may apply a write and lose the answer (a timeout, a reset connection, a 500); the
 * SDK then sends it again, and the copy fails its condition because the first one moved the
 * version on. So a failed write's outcome is unknown, and is resolved by reading: the head, and
 * if it has moved on, the entry item holding the slot's entry (a later commit copied it out
 * before its own write), say which commit filled the slot. Ours: applied. Another: rejected, and never to be
 * applied. Nobody's yet, the head still being the one the write is conditioned on: in flight,
 * and the same write (same item, same commit id) is sent again, which is safe, since at most
 * one copy can apply. The deadline bounds all of it; a write still unresolved at the deadline
 * is reported as such, never as a change that did not happen.
 */
final class Commits {

    enum Outcome { APPLIED, REJECTED }

    /** How a write ended, and the head as last read to find out (null if no read was needed). */
    record Resolved(Outcome outcome, Map<String, AttributeValue> head) {
    }

    /**
     * A head write: the item, its condition, the head state it is conditioned on
     * ({@code awaited}, which a read of the head tests), the entry of its first change (whose
     * version is the slot it claims) and what it is, for messages.
     */
    record HeadWrite(PutItemRequest request, Predicate<Map<String, AttributeValue>> awaited, AuditEntry first, String what) {
    }

    private final DynamoDbClient db;
    private final String table;
    private final AuditEntries entries;

    Commits(DynamoDbClient db, String table, AuditEntries entries) {
        this.db = db;
        this.table = table;
        this.entries = entries;
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** A head that replaces the live head at {@code version} of {@code incarnation}. */
    HeadWrite onto(Map<String, AttributeValue> head, long version, String incarnation, AuditEntry first, String what) {
        PutItemRequest request = PutItemRequest.builder().tableName(table).item(head)
                .conditionExpression("version = :version AND incarnation = :incarnation")
                .expressionAttributeValues(Map.of(":version", n(version), ":incarnation", s(incarnation))).build();
        return new HeadWrite(request, current -> HeadItem.isLive(current) && HeadItem.version(current) == version
                && incarnation.equals(HeadItem.incarnation(current)), first, what);
    }

    /** The head of a segment created where there never was one (or its tombstone expired). */
    HeadWrite fresh(Map<String, AttributeValue> head, AuditEntry first, String what) {
        PutItemRequest request = PutItemRequest.builder().tableName(table).item(head)
                .conditionExpression("attribute_not_exists(pk)").build();
        return new HeadWrite(request, Objects::isNull, first, what);
    }

    /** The head of a segment created over the tombstone of {@code incarnation}. */
    HeadWrite overTombstone(Map<String, AttributeValue> head, String incarnation, AuditEntry first, String what) {
        PutItemRequest request = PutItemRequest.builder().tableName(table).item(head)
                .conditionExpression("deleted = :deleted AND incarnation = :incarnation")
                .expressionAttributeValues(Map.of(":deleted", AttributeValue.fromBool(true), ":incarnation", s(incarnation))).build();
        return new HeadWrite(request, current -> current != null && HeadItem.isTombstone(current)
                && incarnation.equals(HeadItem.incarnation(current)), first, what);
    }

    /**
     * Writes the head and finds out whether it was applied. {@link StoreUnavailable} if that
     * cannot be known before the deadline.
     */
    Resolved write(HeadWrite write, Deadline deadline) {
        for (int round = 1; ; round++) {
            if (!deadline.allows(Deadline.WRITE_RESERVE)) {
                throw round == 1 ? StoreUnavailable.nothingChanged(write.what()) : StoreUnavailable.outcomeUnknown(write.what());
            }
            try {
                db.putItem(write.request());
                return new Resolved(Outcome.APPLIED, null);
            } catch (ConditionalCheckFailedException failedCondition) {
                // Another writer, or an earlier copy of this very write: read which.
            } catch (DynamoDbException refused) {
                if (refused.statusCode() < 500 && !refused.isThrottlingException()) {
                    // Refused as malformed or not allowed: every copy of it is refused the same way.
                    throw refused;
                }
            } catch (SdkException unknown) {
                // Lost in transit or timed out: it may have been applied.
            }
            Optional<Resolved> resolved = resolve(write, deadline);
            if (resolved.isPresent()) {
                return resolved.get();
            }
            deadline.pause(round);
        }
    }

    /** Applied or rejected, read from the store; empty while the write may still land. */
    private Optional<Resolved> resolve(HeadWrite write, Deadline deadline) {
        AuditEntry first = write.first();
        for (int attempt = 1; ; attempt++) {
            try {
                Map<String, AttributeValue> head = HeadItem.read(db, table, first.segment());
                if (write.awaited().test(head)) {
                    return Optional.empty();
                }
                Optional<String> filledBy = commitAt(head, first);
                boolean ours = filledBy.isPresent() && filledBy.get().equals(first.commit());
                if (ours) {
                    RequestRecord.current().ifPresent(RequestRecord::answerLost);
                }
                return Optional.of(new Resolved(ours ? Outcome.APPLIED : Outcome.REJECTED, head));
            } catch (SdkException unreadable) {
                if (deadline.remainingMillis() <= 0) {
                    throw StoreUnavailable.outcomeUnknown(write.what());
                }
                deadline.pause(attempt);
            }
        }
    }

    /** The id of the commit that filled {@code first}'s slot: from the head's entries, else from the entry items. */
    private Optional<String> commitAt(Map<String, AttributeValue> head, AuditEntry first) {
        if (head != null && first.incarnation().equals(HeadItem.incarnation(head))) {
            for (AuditEntry entry : AuditEntry.of(head)) {
                if (entry.change().version() == first.change().version()) {
                    return Optional.ofNullable(entry.commit());
                }
            }
        }
        return entries.find(first.segment(), first.sortKey()).map(AuditEntry::commit);
    }
}
