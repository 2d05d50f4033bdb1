package dev.segments.segment.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.segments.segment.Actor;
import dev.segments.segment.Change;
import dev.segments.segment.ExpiringTarget;
import dev.segments.segment.Segment;
import dev.segments.segment.TargetRef;
import dev.segments.segment.TargetType;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a segment's targets and history are written into item attributes: compact JSON arrays,
 * one array per target ({@code [type, kind, key]}, plus {@code id, version, date} when its
 * removal is scheduled). Targets are spread over buckets by a stable hash of kind and key, and
 * each bucket is written sorted, so an unchanged bucket encodes to the same string and is
 * not written again. A history attribute holds changes with the id of the commit that wrote each
 * (see {@link Commits}).
 */
final class SegmentCodec {

    private static final JsonFactory JSON = new JsonFactory();

    private SegmentCodec() {
    }

    static int bucketOf(TargetRef ref, int buckets) {
        // The hash of contextKind + '\u0000' + key as String.hashCode defines it (so bucket
        // numbers are the same on every JVM). String.hashCode is a polynomial in 31, so that hash
        // is hash(kind) * 31^(length(key) + 1) + hash(key): computed from the two strings' cached
        // hashes, without going over their characters.
        String key = ref.key();
        int h = ref.contextKind().hashCode() * powerOf31(key.length() + 1) + key.hashCode();
        // The mix spreads keys that differ only in their last characters.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & (buckets - 1);
    }

    /** 31^n in int arithmetic, as String.hashCode multiplies. */
    private static int powerOf31(int n) {
        int power = 1;
        int base = 31;
        for (int e = n; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                power *= base;
            }
            base *= base;
        }
        return power;
    }

    /** The segment's targets by bucket, in no particular order within each. */
    static List<List<TargetRef>> group(Segment segment, int buckets) {
        List<List<TargetRef>> grouped = new ArrayList<>(buckets);
        int expected = segment.targets().size() / buckets + 16;
        for (int i = 0; i < buckets; i++) {
            grouped.add(new ArrayList<>(expected));
        }
        for (TargetRef ref : segment.targets()) {
            grouped.get(bucketOf(ref, buckets)).add(ref);
        }
        return grouped;
    }

    /** A bucket's targets, with a map that holds their schedules (and may hold others'). */
    record Group(List<TargetRef> targets, Map<TargetRef, ExpiringTarget> schedules) {
    }

    /**
     * The segment's targets by bucket, as {@link #group} gives them, for the buckets that
     * {@code touched} falls in; null for every other bucket, which holds what its stored bucket
     * holds. Sound only when every target outside {@code touched} is in the segment exactly as
     * in the stored one that {@code stored} (one bucket per place) was made from. Each bucket is
     * its stored one with the touched targets as the segment has them ({@link #changed}), with
     * schedules of its own: comparing and encoding it looks up none of the segment's thousands.
     */
    static List<Group> regroup(Segment segment, List<Bucket> stored, Set<TargetRef> touched) {
        Map<TargetRef, Patch.Entry> states = new HashMap<>();
        for (TargetRef ref : touched) {
            states.put(ref, segment.targets().contains(ref) ? Patch.Entry.of(segment.schedules().get(ref)) : Patch.Entry.ABSENT);
        }
        List<Group> grouped = new ArrayList<>(Collections.nCopies(stored.size(), null));
        byBucket(states, stored.size()).forEach((bucket, changes) -> grouped.set(bucket, changed(stored.get(bucket), changes)));
        return grouped;
    }

    /** {@code entries} by the bucket (of {@code bucketCount}) each target falls in. */
    static <V> Map<Integer, Map<TargetRef, V>> byBucket(Map<TargetRef, V> entries, int bucketCount) {
        Map<Integer, Map<TargetRef, V>> byBucket = new HashMap<>();
        entries.forEach((ref, entry) -> byBucket.computeIfAbsent(bucketOf(ref, bucketCount), b -> new HashMap<>()).put(ref, entry));
        return byBucket;
    }

    /**
     * The bucket {@code stored} with {@code changes} made, each changed target in the state it
     * gives (absent, or present and maybe scheduled): how a commit's touched targets, and a
     * head's patch, make a bucket anew from the one stored.
     */
    static Group changed(Bucket stored, Map<TargetRef, Patch.Entry> changes) {
        List<TargetRef> targets = new ArrayList<>(stored.targets().size() + changes.size());
        Map<TargetRef, ExpiringTarget> schedules = new HashMap<>(stored.schedules());
        for (TargetRef ref : stored.targets()) {
            if (!changes.containsKey(ref)) {
                targets.add(ref);
            }
        }
        changes.forEach((ref, entry) -> {
            schedules.remove(ref);
            if (entry.present()) {
                targets.add(ref);
                if (entry.schedule() != null) {
                    schedules.put(ref, entry.schedule());
                }
            }
        });
        return new Group(targets, schedules);
    }

    /** One bucket as stored: its targets sorted, so that the same content always encodes the same. */
    static String encode(List<TargetRef> bucket, Map<TargetRef, ExpiringTarget> schedules) {
        bucket.sort(TargetRef.ORDER);
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (TargetRef ref : bucket) {
                writeTarget(json, ref);
                writeSchedule(json, schedules.get(ref));
                json.writeEndArray();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A head's patch ({@link Patch}), sorted as a bucket is: each target as a bucket writes it,
     * or with a null after its key where it is absent.
     */
    static String encodePatch(Map<TargetRef, Patch.Entry> entries) {
        List<TargetRef> refs = new ArrayList<>(entries.keySet());
        refs.sort(TargetRef.ORDER);
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (TargetRef ref : refs) {
                Patch.Entry entry = entries.get(ref);
                writeTarget(json, ref);
                if (entry.present()) {
                    writeSchedule(json, entry.schedule());
                } else {
                    json.writeNull();
                }
                json.writeEndArray();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Opens a target's array with its type, kind and key. */
    private static void writeTarget(JsonGenerator json, TargetRef ref) throws IOException {
        json.writeStartArray();
        json.writeString(ref.type() == TargetType.INCLUDED ? "i" : "e");
        json.writeString(ref.contextKind());
        json.writeString(ref.key());
    }

    private static void writeSchedule(JsonGenerator json, ExpiringTarget schedule) throws IOException {
        if (schedule != null) {
            json.writeString(schedule.id());
            json.writeNumber(schedule.version());
            json.writeNumber(schedule.expirationDate());
        }
    }

    /** A bucket's decoded form, made from what was encoded ({@code bytes} long in UTF-8). */
    static Bucket bucket(List<TargetRef> bucket, Map<TargetRef, ExpiringTarget> schedules, long bytes) {
        Map<TargetRef, ExpiringTarget> own = new HashMap<>();
        for (TargetRef ref : bucket) {
            ExpiringTarget schedule = schedules.get(ref);
            if (schedule != null) {
                own.put(ref, schedule);
            }
        }
        return new Bucket(Set.copyOf(bucket), own, bytes);
    }

    static Bucket decode(String encoded) {
        List<TargetRef> targets = new ArrayList<>();
        Map<TargetRef, ExpiringTarget> schedules = new HashMap<>();
        decodeEntries(encoded, (ref, present, schedule) -> {
            if (!present) {
                throw new IllegalStateException("Corrupt segment data: a bucket marks " + ref + " absent");
            }
            targets.add(ref);
            if (schedule != null) {
                schedules.put(ref, schedule);
            }
        });
        return new Bucket(Set.copyOf(targets), schedules, utf8Length(encoded));
    }

    static Map<TargetRef, Patch.Entry> decodePatch(String encoded) {
        Map<TargetRef, Patch.Entry> entries = new HashMap<>();
        decodeEntries(encoded,
                (ref, present, schedule) -> entries.put(ref, present ? Patch.Entry.of(schedule) : Patch.Entry.ABSENT));
        return entries;
    }

    /** What {@link #decodeEntries} hands on of each target: whether it is present, and its schedule if it has one. */
    @FunctionalInterface
    private interface EntryReader {
        void read(TargetRef ref, boolean present, ExpiringTarget schedule);
    }

    /**
     * Each target of a bucket or patch, in order, with its state: handed on as it is read, so
     * that decoding a chunk of thousands of targets allocates nothing for their states.
     */
    private static void decodeEntries(String encoded, EntryReader each) {
        try (JsonParser json = JSON.createParser(encoded)) {
            expect(json.nextToken(), JsonToken.START_ARRAY);
            while (json.nextToken() == JsonToken.START_ARRAY) {
                TargetType type = "i".equals(nextString(json)) ? TargetType.INCLUDED : TargetType.EXCLUDED;
                String kind = nextString(json);
                TargetRef ref = new TargetRef(type, TargetRef.USER.equals(kind) ? TargetRef.USER : kind, nextString(json));
                JsonToken next = json.nextToken();
                if (next == JsonToken.END_ARRAY) {
                    each.read(ref, true, null);
                } else if (next == JsonToken.VALUE_NULL) {
                    each.read(ref, false, null);
                    expect(json.nextToken(), JsonToken.END_ARRAY);
                } else {
                    String id = json.getText();
                    json.nextToken();
                    int version = json.getIntValue();
                    json.nextToken();
                    long date = json.getLongValue();
                    each.read(ref, true, new ExpiringTarget(id, version, date, ref));
                    expect(json.nextToken(), JsonToken.END_ARRAY);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many bytes {@code text} takes in UTF-8 (as {@code getBytes(UTF_8)} makes them), counted without encoding it. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1; // as String.getBytes counts it: replaced by '?'
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** A change as a history attribute keeps it: with the id of the commit that wrote it. */
    record Recorded(Change change, String commit) {
    }

    static String encodeHistory(List<Recorded> history) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (Recorded recorded : history) {
                Change change = recorded.change();
                json.writeStartObject();
                json.writeNumberField("version", change.version());
                json.writeNumberField("at", change.at());
                json.writeStringField("actor", change.actor().name());
                json.writeStringField("actorId", change.actor().id());
                if (change.comment() != null) {
                    json.writeStringField("comment", change.comment());
                }
                json.writeArrayFieldStart("effects");
                for (String effect : change.effects()) {
                    json.writeString(effect);
                }
                json.writeEndArray();
                if (recorded.commit() != null) {
                    json.writeStringField("commit", recorded.commit());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static List<Recorded> decodeHistory(String encoded) {
        List<Recorded> history = new ArrayList<>();
        if (encoded == null) {
            return history;
        }
        try (JsonParser json = JSON.createParser(encoded)) {
            expect(json.nextToken(), JsonToken.START_ARRAY);
            while (json.nextToken() == JsonToken.START_OBJECT) {
                long version = 0;
                long at = 0;
                String actor = null;
                String actorId = null;
                String comment = null;
                String commit = null;
                List<String> effects = new ArrayList<>();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    switch (field) {
                        case "version" -> version = json.getLongValue();
                        case "at" -> at = json.getLongValue();
                        case "actor" -> actor = json.getText();
                        case "actorId" -> actorId = json.getText();
                        case "comment" -> comment = json.getText();
                        case "commit" -> commit = json.getText();
                        case "effects" -> {
                            while (json.nextToken() != JsonToken.END_ARRAY) {
                                effects.add(json.getText());
                            }
                        }
                        default -> json.skipChildren();
                    }
                }
                history.add(new Recorded(new Change(version, at, actor(actorId, actor), comment, effects), commit));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return history;
    }

    /** Changes recorded before actors had ids name the expiry service "service". */
    private static Actor actor(String id, String name) {
        return id == null && Change.SERVICE.name().equals(name) ? Change.SERVICE : new Actor(id, name);
    }

    private static String nextString(JsonParser json) throws IOException {
        expect(json.nextToken(), JsonToken.VALUE_STRING);
        return json.getText();
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("Corrupt segment data: expected " + expected + " but found " + actual);
        }
    }
}
