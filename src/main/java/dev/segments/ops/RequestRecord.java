package dev.segments.ops;

import dev.segments.segment.Revision;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * What one request did, gathered while it runs: the adapters add to it (instructions, the
 * version written, store retries, DynamoDB calls) and {@link RequestLog} writes it out once.
 */
@RequestScoped
public class RequestRecord {

    // Read through methods only: callers hold a client proxy, whose own fields are not these.
    private long startNanos = System.nanoTime();
    private int instructions;
    private int failedInstructions;
    private long versionWritten;
    private int writeRetries;
    private int answersLost;
    private boolean writeConflict;
    private int dynamoRequests;
    private long dynamoNanos;

    /** The record of the request running on this thread, if one is. */
    public static Optional<RequestRecord> current() {
        ArcContainer container = Arc.container();
        if (container == null || !container.requestContext().isActive()) {
            return Optional.empty();
        }
        return Optional.of(container.instance(RequestRecord.class).get());
    }

    void started() {
        startNanos = System.nanoTime();
    }

    double millisSinceStart() {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    int instructions() {
        return instructions;
    }

    int failedInstructions() {
        return failedInstructions;
    }

    long versionWritten() {
        return versionWritten;
    }

    int writeRetries() {
        return writeRetries;
    }

    int answersLost() {
        return answersLost;
    }

    boolean writeConflict() {
        return writeConflict;
    }

    int dynamoRequests() {
        return dynamoRequests;
    }

    double dynamoMillis() {
        return dynamoNanos / 1e6;
    }

    public void instructions(int total, int failed) {
        instructions = total;
        failedInstructions = failed;
    }

    /** A patch's instructions and failures, and the version it wrote if it changed anything. */
    public void patched(int total, int failed, Revision revision) {
        instructions(total, failed);
        if (revision.changed()) {
            versionWritten = revision.segment().version();
        }
    }

    public void writeRetried() {
        writeRetries++;
    }

    /** A write the store applied although its answer was lost or an error, found so by reading back. */
    public void answerLost() {
        answersLost++;
    }

    /** The request gave up after losing every attempt to commit (409 optimistic_locking_error). */
    public void conflicted() {
        writeConflict = true;
    }

    public void calledDynamo(long nanos) {
        dynamoRequests++;
        dynamoNanos += nanos;
    }
}
