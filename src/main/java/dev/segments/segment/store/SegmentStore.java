package dev.segments.segment.store;

import static dev.segments.dynamo.Attributes.number;
import static dev.segments.dynamo.Attributes.s;
import static dev.segments.dynamo.Attributes.string;
import static dev.segments.dynamo.Attributes.stringList;

import dev.segments.dynamo.Batches;
import dev.segments.dynamo.StoreUnavailable;
import dev.segments.dynamo.Table;
import dev.segments.ops.Deadline;
import dev.segments.ops.Deadlines;
import dev.segments.ops.RequestRecord;
import dev.segments.segment.Actor;
import dev.segments.segment.Change;
import dev.segments.segment.Revision;
import dev.segments.segment.Segment;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.SegmentSummary;
import dev.segments.web.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Segments in DynamoDB: a head item per segment ({@link HeadItem}), its targets inline or in
 * chunk items ({@link Chunks}), its committed changes as audit entries ({@link AuditEntries},
 * {@link AuditIndex}), and the due index the sweeper works from ({@link DueIndex}). Every
 * change commits with one conditional PutItem of the head ({@link Commits}), whose outcome,
 * when its answer is lost, is read back rather than assumed. Chunks and entry items are
 * written before the head and are invisible or already true until it succeeds; chunks whose
 * content the head carries in its patch are written along with it, and named by a later head
 * only once seen stored. So a failure at any point leaves the segment as it was. Every head is
 * measured before it is written ({@link HeadSize}), so none meets DynamoDB's item limit
 * half-way.
 *
 * <p>Which heads a request sees is decided by their environment's incarnation
 * ({@link EnvironmentScope}): a segment of a deleted environment reads as absent. Reading back
 * a write's outcome reads the head as it is, whatever its environment.
 *
 * <p>All of it is bounded by the deadline of the work it serves ({@link Deadlines}): a request
 * ends with its answer, a lost race (409), or the store not keeping up (503), each before the
 * function's timeout.
 */
@ApplicationScoped
public class SegmentStore {

    /**
     * Attempts before giving up with {@link WriteConflict}. With full-jitter backoff capped at
     * 100 ms this bounds a request to about two seconds of waiting, and lets 16 writers on one
     * segment all get through.
     */
    static final int MAX_ATTEMPTS = 40;
    public static final int DUE_SHARDS = DueIndex.SHARDS;
    /** How long a commit waits, after its head's write, for the chunks written along with it. */
    static final Duration ALONGSIDE_GRACE = Duration.ofMillis(500);

    private final DynamoDbClient db;
    private final String table;
    private final long retentionSeconds;
    private final Deadlines deadlines;
    private final EnvironmentScope scope;
    private final Chunks chunks;
    private final AuditEntries entries;
    private final Commits commits;
    private final AppClock clock;
    private final KeptHeads kept = new KeptHeads();
    /** Threads for the writes that go along with a head's ({@link #writeAlongside}). */
    private final ExecutorService alongside = Executors.newCachedThreadPool(work -> {
        Thread thread = new Thread(work, "segment-chunks");
        thread.setDaemon(true);
        return thread;
    });

    public SegmentStore(Table table, @ConfigProperty(name = AuditEntry.RETENTION_DAYS) int retentionDays, AppClock clock,
            Deadlines deadlines) {
        this.db = table.client();
        this.table = table.name();
        this.retentionSeconds = retentionDays * 86_400L;
        this.deadlines = deadlines;
        this.clock = clock;
        this.scope = new EnvironmentScope(db, this.table);
        this.chunks = new Chunks(db, this.table, clock);
        this.entries = new AuditEntries(db, this.table, retentionSeconds);
        this.commits = new Commits(db, this.table, entries);
    }

    /** A segment as the store read it, with what a write needs to know about its items. */
    record Stored(Segment segment, String incarnation, Chunks.Placed placed, List<AuditEntry> held) {
    }

    /** What is due in one shard of the due index: segments with removals, and chunks to check. */
    public record Due(List<SegmentKey> segments, Map<SegmentKey, List<String>> chunks) {
    }

    /** A function of the stored segment that may refuse with a checked exception. */
    @FunctionalInterface
    public interface Mutation<T, X extends Exception> {
        T apply(Segment stored) throws X;
    }

    public Optional<Segment> find(SegmentKey key) {
        Deadline deadline = deadlines.current();
        return deadline.bind(() -> loadAndKeep(key, deadline).map(found -> found.stored().segment()));
    }

    /**
     * Forgets every segment kept for writes ({@link KeptHeads}): an environment or project of
     * this instance's was deleted, and their segments must answer 404 here at once.
     */
    public void environmentsDeleted() {
        kept.forgetAll();
    }

    /**
     * The details of every segment of an environment, in key order, read without their targets
     * (a projection of the heads), so that a list can sort, filter and count them all and then
     * load only the segments of its page.
     */
    public List<SegmentSummary> summaries(String projectKey, String environmentKey) {
        Deadline deadline = deadlines.current();
        return deadline.bind(() -> {
            List<SegmentSummary> summaries = new ArrayList<>();
            Optional<String> environmentId = scope.environmentId(projectKey, environmentKey);
            db.queryPaginator(q -> q.tableName(table).consistentRead(true)
                            .keyConditionExpression("pk = :pk")
                            .filterExpression("attribute_not_exists(deleted)")
                            .projectionExpression("#sk, #name, #description, #tags, #created, #modified, #incarnation")
                            .expressionAttributeNames(Map.of("#sk", Table.SK, "#name", "name", "#description", "description",
                                    "#tags", "tags", "#created", "creationDate", "#modified", "lastModifiedDate",
                                    "#incarnation", "incarnation"))
                            .expressionAttributeValues(Map.of(":pk", s(HeadItem.pk(projectKey, environmentKey)))))
                    .items().forEach(head -> {
                        if (environmentId.filter(id -> EnvironmentScope.belongsTo(HeadItem.incarnation(head), id)).isPresent()) {
                            summaries.add(new SegmentSummary(new SegmentKey(projectKey, environmentKey, string(head, Table.SK)),
                                    string(head, "name"), string(head, "description"), stringList(head, "tags"),
                                    number(head, "creationDate"), number(head, "lastModifiedDate")));
                        }
                    });
            return summaries;
        });
    }

    /**
     * Every recorded change of the segment's current incarnation, oldest first, from its
     * creation on, as long as DynamoDB's TTL has not deleted it after the audit retention.
     */
    public List<Change> history(SegmentKey key) {
        Deadline deadline = deadlines.current();
        return deadline.bind(() -> {
            Map<String, AttributeValue> head = scope.read(key, deadline).visibleHead();
            return HeadItem.isLive(head) ? entries.history(key, head) : List.of();
        });
    }

    /**
     * What is due by {@code now} in one shard of the due index, found without a scan. The index
     * is eventually consistent and second-grained, so callers re-read each segment and carry
     * out only what is really due.
     */
    public Due due(int shard, long now) {
        Deadline deadline = deadlines.current();
        return deadline.bind(() -> DueIndex.query(db, table, shard, now));
    }

    /**
     * Checks chunks of the segment that came due in the due index: retires those its head does
     * not refer to (left behind by a crash), and looks at the others again later. How many were
     * retired.
     */
    public int retireLeftBehindChunks(SegmentKey key, List<String> chunkIds) {
        Deadline deadline = deadlines.current();
        return deadline.bind(() -> chunks.check(key, chunkIds, HeadItem.referencedChunks(HeadItem.read(db, table, key))));
    }

    /**
     * Creates the segment in its environment's current incarnation, recording {@code creation}
     * as its first change; {@link AlreadyExists} if one with its key exists, false if its
     * environment does not. A deleted predecessor's last entry is kept in the audit log.
     */
    public boolean create(Segment segment, Change creation) {
        SegmentKey key = segment.key();
        String what = "the creation of segment \"" + key.key() + "\"";
        Deadline deadline = deadlines.current();
        kept.forget(key);
        return deadline.bind(() -> {
            Commits.HeadWrite write;
            try {
                EnvironmentScope.Read read = scope.read(key, deadline);
                if (read.environmentId().isEmpty()) {
                    return false;
                }
                AuditEntry entry = new AuditEntry(key, EnvironmentScope.incarnation(read.environmentId().get()), creation,
                        Commits.newId());
                Map<String, AttributeValue> head = HeadItem.live(segment, entry.incarnation(), Chunks.inline(segment), List.of(entry));
                HeadSize.require(head, key);
                Map<String, AttributeValue> existing = read.visibleHead();
                if (existing == null) {
                    write = commits.fresh(head, entry, what);
                } else if (HeadItem.isTombstone(existing)) {
                    entries.copyOut(AuditEntry.of(existing), deadline);
                    write = commits.overTombstone(head, HeadItem.incarnation(existing), entry, what);
                } else {
                    throw alreadyExists(key);
                }
            } catch (SdkException | StoreUnavailable e) {
                throw StoreUnavailable.nothingChanged(what);
            }
            if (commits.write(write, deadline).outcome() == Commits.Outcome.REJECTED) {
                throw alreadyExists(key);
            }
            return true;
        });
    }

    /**
     * Deletes the segment and, with it, its schedules; its head becomes a tombstone holding the
     * deletion's audit entry. False if there was no segment.
     */
    public boolean delete(SegmentKey key, long now, Actor actor) {
        return tombstone(key, (k, deadline) -> scope.read(k, deadline).visibleHead(),
                version -> Change.deletion(version, now, actor));
    }

    /** How {@link #tombstone} finds the head it replaces. */
    @FunctionalInterface
    interface HeadRead {
        Map<String, AttributeValue> read(SegmentKey key, Deadline deadline);
    }

    /**
     * Makes the head {@code read} finds a tombstone holding the change {@code deletionOf} makes
     * of its version; false if it finds no live head. {@link LeftoverSegments} reads the heads of
     * deleted environments, which {@link #delete} no longer sees.
     */
    boolean tombstone(SegmentKey key, HeadRead read, LongFunction<Change> deletionOf) {
        String what = "the deletion of segment \"" + key.key() + "\"";
        Deadline deadline = deadlines.current();
        kept.forget(key);
        return deadline.bind(() -> {
            int lost = 0;
            for (int attempt = 1; attempt <= MAX_ATTEMPTS && deadline.allows(Deadline.WRITE_RESERVE); attempt++) {
                Map<String, AttributeValue> old;
                try {
                    old = read.read(key, deadline);
                    if (!HeadItem.isLive(old)) {
                        return false;
                    }
                    entries.copyOut(AuditEntry.of(old), deadline);
                } catch (SdkException | StoreUnavailable e) {
                    throw StoreUnavailable.nothingChanged(what);
                }
                long version = HeadItem.version(old);
                String incarnation = HeadItem.incarnation(old);
                AuditEntry deletion = new AuditEntry(key, incarnation, deletionOf.apply(version), Commits.newId());
                Map<String, AttributeValue> tombstone = HeadItem.tombstone(deletion, deletion.change().at() / 1000 + retentionSeconds);
                HeadSize.require(tombstone, key);
                if (commits.write(commits.onto(tombstone, version, incarnation, deletion, what), deadline).outcome()
                        == Commits.Outcome.APPLIED) {
                    chunks.retire(key, HeadItem.referencedChunks(old));
                    return true;
                }
                lost++;
                deadline.pause(attempt);
            }
            throw lost > 0 ? conflict(key, lost, "delete it") : StoreUnavailable.nothingChanged(what);
        });
    }

    /**
     * Applies {@code mutation} to the stored segment and commits the revision it yields, if that
     * changed anything. On a lost race it reads again and re-applies, with jittered backoff.
     * Empty if the segment does not exist. The first attempt starts from the segment this
     * instance kept ({@link KeptHeads}) when there is one fresh enough, and reads only if that
     * write's condition fails, or if the answer would otherwise come from the kept segment
     * alone (nothing to write, or a refusal).
     */
    public <T, X extends Exception> Optional<T> update(SegmentKey key, Mutation<T, X> mutation,
            Function<T, Revision> revisionOf) throws X {
        Deadline deadline = deadlines.current();
        return deadline.bind(() -> {
            String what = "this change to segment \"" + key.key() + "\"";
            int lost = 0;
            for (int attempt = 1; attempt <= MAX_ATTEMPTS && deadline.allows(Deadline.WRITE_RESERVE); attempt++) {
                Optional<KeptHeads.Kept> reused = attempt == 1 ? kept.fresh(key, clock.millis()) : Optional.empty();
                KeptHeads.Kept from;
                if (reused.isPresent()) {
                    from = reused.get();
                } else {
                    Optional<KeptHeads.Kept> loaded;
                    try {
                        // Every earlier attempt is known to have been rejected, so nothing of this request is stored.
                        loaded = loadAndKeep(key, deadline);
                    } catch (SdkException | StoreUnavailable e) {
                        throw StoreUnavailable.nothingChanged(what);
                    }
                    if (loaded.isEmpty()) {
                        return Optional.empty();
                    }
                    from = loaded.get();
                }
                T result;
                try {
                    result = mutation.apply(from.stored().segment());
                } catch (Exception refused) {
                    if (reused.isPresent()) {
                        continue; // refused by the kept segment: read it as it is, and apply again
                    }
                    throw refused;
                }
                Revision revision = revisionOf.apply(result);
                if (!revision.changed()) {
                    if (reused.isPresent()) {
                        continue; // nothing to write, so nothing checks the kept segment: read it
                    }
                    return Optional.of(result);
                }
                if (commit(from, revision, what, deadline) == Commits.Outcome.APPLIED) {
                    return Optional.of(result);
                }
                lost++;
                RequestRecord.current().ifPresent(RequestRecord::writeRetried);
                deadline.pause(attempt);
            }
            throw lost > 0 ? conflict(key, lost, "apply this request") : StoreUnavailable.nothingChanged(what);
        });
    }

    /**
     * The live segment this request sees under {@code key}: none if its environment was deleted.
     * {@code held} is what this instance last held of it, if anything (see {@link #stored}).
     */
    private Optional<Stored> load(SegmentKey key, Deadline deadline, Optional<Stored> held) {
        Map<String, AttributeValue> head = scope.read(key, deadline).visibleHead();
        return HeadItem.isLive(head) ? Optional.of(stored(head, deadline, held)) : Optional.empty();
    }

    /** {@link #load}, keeping what it finds, with when its environment was checked, for a write that may follow. */
    private Optional<KeptHeads.Kept> loadAndKeep(SegmentKey key, Deadline deadline) {
        long checkedAt = clock.millis();
        Optional<Stored> held = kept.forget(key).map(KeptHeads.Kept::stored);
        Optional<KeptHeads.Kept> loaded = load(key, deadline, held).map(stored -> new KeptHeads.Kept(stored, checkedAt));
        loaded.ifPresent(found -> kept.keep(key, found));
        return loaded;
    }

    /**
     * The segment a live head describes. A chunk never changes and its id is never used again, so
     * a head naming the same chunks, with the same patch, as the segment this instance
     * {@code held} has the same targets and schedules: those are taken as they are, with what
     * was counted of them, instead of being gathered from 15,000 entries of the buckets again.
     */
    private Stored stored(Map<String, AttributeValue> head, Deadline deadline, Optional<Stored> held) {
        List<String> chunkIds = HeadItem.chunkIds(head);
        Patch patch = HeadItem.patch(head);
        Map<Integer, String> pending = HeadItem.pending(head);
        Optional<Stored> same = held.filter(h -> !chunkIds.isEmpty() && h.placed().chunkIds().equals(chunkIds)
                && h.placed().patch().equals(patch));
        if (same.isPresent()) {
            Segment targets = same.get().segment();
            Chunks.Placed placed = same.get().placed();
            return new Stored(HeadItem.segment(head, targets.targets(), targets.schedules()), HeadItem.incarnation(head),
                    new Chunks.Placed(chunkIds, placed.chunks(), patch, pending, placed.buckets()), AuditEntry.of(head));
        }
        Chunks.Placed placed = chunkIds.isEmpty() ? Chunks.Placed.inline(SegmentCodec.decode(HeadItem.inlineData(head)))
                : Chunks.Placed.of(chunkIds, chunks.read(HeadItem.keyOf(head), chunkIds, deadline), patch, pending);
        return new Stored(HeadItem.segment(head, placed.buckets()), HeadItem.incarnation(head), placed, AuditEntry.of(head));
    }

    /**
     * Writes the revision: new chunks, and the held entries if the head cannot keep them, first;
     * then the head, with the chunks of its patched buckets alongside it. If it was rejected,
     * retires the chunks it wrote, unless the head read back refers to them. The chunks an
     * applied head superseded are left to the sweeper's check of the due index ({@link Chunks}),
     * so that a change writes only its changed chunks and its head.
     */
    private Commits.Outcome commit(KeptHeads.Kept from, Revision revision, String what, Deadline deadline) {
        Stored stored = from.stored();
        Segment segment = revision.segment();
        SegmentKey key = segment.key();
        // What the revision touched tells which buckets may differ, when it was computed from the segment these buckets hold.
        Chunks.Plan plan = chunks.plan(segment, stored.placed(), revision.from() == stored.segment() ? revision.touched() : null);
        String commit = Commits.newId();
        List<AuditEntry> latest = revision.changes().stream()
                .map(change -> new AuditEntry(key, stored.incarnation(), change, commit)).toList();
        List<AuditEntry> held = AuditEntries.held(stored.held(), latest);
        Map<String, AttributeValue> head = HeadItem.live(segment, stored.incarnation(), plan, held);
        if (held != latest && !HeadSize.fits(head)) {
            // The earlier entries would pass the head's bound: copied out now, the head holds this commit's alone.
            held = latest;
            head = HeadItem.live(segment, stored.incarnation(), plan, held);
        }
        HeadSize.require(head, key);
        List<WriteRequest> writes = new ArrayList<>(plan.before());
        if (held == latest) {
            writes.add(entries.copy(stored.held()));
        }
        kept.forget(key);
        try {
            Batches.writeAll(db, table, writes, deadline);
        } catch (SdkException | StoreUnavailable e) {
            throw StoreUnavailable.nothingChanged(what);
        }
        CompletableFuture<Boolean> alongside = writeAlongside(plan.alongside(), deadline);
        Commits.Resolved resolved;
        try {
            resolved = commits.write(commits.onto(head, stored.segment().version(), stored.incarnation(), latest.get(0), what), deadline);
        } finally {
            if (knownStored(alongside)) {
                chunks.sawStored(plan.written());
            }
        }
        if (resolved.outcome() == Commits.Outcome.APPLIED) {
            // The environment was checked when the segment this commit started from was read, not since.
            kept.keep(key, new KeptHeads.Kept(new Stored(segment, stored.incarnation(), plan.placed(), held), from.checkedAt()));
        }
        if (resolved.outcome() == Commits.Outcome.REJECTED) {
            List<String> unreferenced = new ArrayList<>(plan.written());
            unreferenced.removeAll(HeadItem.referencedChunks(resolved.head()));
            chunks.retire(key, unreferenced);
        }
        return resolved.outcome();
    }

    /**
     * Whether the writes sent along with a head are known to be stored, waiting for them at most
     * {@link #ALONGSIDE_GRACE} once the head's write is done: the answer does not wait for writes
     * it does not need. One not known stored is never named, and the sweeper retires it.
     */
    private static boolean knownStored(CompletableFuture<Boolean> alongside) {
        try {
            return alongside.get(ALONGSIDE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Writes {@code writes} on a thread of its own while the caller goes on, bound by
     * {@code deadline}: whether all of them are known to be stored. A failure is only that: what
     * they hold is in the head too.
     */
    private CompletableFuture<Boolean> writeAlongside(List<WriteRequest> writes, Deadline deadline) {
        if (writes.isEmpty()) {
            return CompletableFuture.completedFuture(true);
        }
        return CompletableFuture.supplyAsync(() -> deadline.bind(() -> {
            Batches.writeAll(db, table, writes, deadline);
            return true;
        }), alongside).exceptionally(failed -> false);
    }

    private static WriteConflict conflict(SegmentKey key, int lost, String toDo) {
        return new WriteConflict("The segment \"" + key.key() + "\" kept changing under concurrent writers, and " + lost
                + " attempts to " + toDo + " lost the race. Nothing was changed; try again.");
    }

    private static AlreadyExists alreadyExists(SegmentKey key) {
        return new AlreadyExists("A segment with key \"" + key.key() + "\" already exists in environment \""
                + key.environmentKey() + "\" of project \"" + key.projectKey() + "\". Choose another key.");
    }
}
