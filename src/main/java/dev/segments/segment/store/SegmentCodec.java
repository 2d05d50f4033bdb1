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
        int h = (ref.contextKind() + '\u0000' + ref.key()).hashCode();
        // String.hashCode is specified, so bucket numbers are the same on every JVM; the mix
        // spreads keys that differ only in their last characters.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & (buckets - 1);
    }

    static List<String> encodeBuckets(Segment segment, int buckets) {
        List<List<TargetRef>> grouped = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            grouped.add(new ArrayList<>());
        }
        for (TargetRef ref : segment.targets()) {
            grouped.get(bucketOf(ref, buckets)).add(ref);
        }
        List<String> encoded = new ArrayList<>(buckets);
        for (List<TargetRef> bucket : grouped) {
            bucket.sort(TargetRef.ORDER);
            encoded.add(encodeTargets(bucket, segment.schedules()));
        }
        return encoded;
    }

    private static String encodeTargets(List<TargetRef> refs, Map<TargetRef, ExpiringTarget> schedules) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (TargetRef ref : refs) {
                json.writeStartArray();
                json.writeString(ref.type() == TargetType.INCLUDED ? "i" : "e");
                json.writeString(ref.contextKind());
                json.writeString(ref.key());
                ExpiringTarget schedule = schedules.get(ref);
                if (schedule != null) {
                    json.writeString(schedule.id());
                    json.writeNumber(schedule.version());
                    json.writeNumber(schedule.expirationDate());
                }
                json.writeEndArray();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static void decodeTargets(String encoded, Set<TargetRef> targets, Map<TargetRef, ExpiringTarget> schedules) {
        try (JsonParser json = JSON.createParser(encoded)) {
            expect(json.nextToken(), JsonToken.START_ARRAY);
            while (json.nextToken() == JsonToken.START_ARRAY) {
                TargetType type = "i".equals(nextString(json)) ? TargetType.INCLUDED : TargetType.EXCLUDED;
                TargetRef ref = new TargetRef(type, nextString(json), nextString(json));
                targets.add(ref);
                if (json.nextToken() != JsonToken.END_ARRAY) {
                    String id = json.getText();
                    json.nextToken();
                    int version = json.getIntValue();
                    json.nextToken();
                    long date = json.getLongValue();
                    schedules.put(ref, new ExpiringTarget(id, version, date, ref));
                    expect(json.nextToken(), JsonToken.END_ARRAY);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
