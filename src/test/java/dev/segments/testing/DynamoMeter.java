package dev.segments.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.dynamo.Table;
import dev.segments.testing.HttpMessages.Request;
import dev.segments.testing.HttpMessages.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/**
 * An HTTP proxy between the function and dynalite that counts what DynamoDB would bill: every
 * request by operation, read request units and write request units. Table units come from
 * dynalite itself (the proxy adds {@code ReturnConsumedCapacity: TOTAL} to each request; dynalite
 * sizes items as DynamoDB does for ASCII strings). Dynalite does not charge for global secondary
 * indexes, so the proxy adds their write units by DynamoDB's rules, reading each written item
 * before and after the write (straight from dynalite, uncounted): an index entry put, deleted,
 * moved (2 writes) or with changed projected attributes costs ceil(entry size / 1 KB) units. A
 * conditional write whose condition fails still costs the existing item's size (at least 1).
 *
 * <p>It serialises writes to keep its before-and-after reads exact, and adds time to each, so
 * time nothing through it. It injects no faults unless told to, as the {@link StoreProxy} it is.
 */
public final class DynamoMeter extends StoreProxy {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan");
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem");

    /** What was counted: requests by operation, and request units. */
    public record Usage(Map<String, Integer> requests, double readUnits, double writeUnits) {
        public int totalRequests() {
            return requests.values().stream().mapToInt(Integer::intValue).sum();
        }

        public Usage minus(Usage earlier) {
            Map<String, Integer> difference = new TreeMap<>(requests);
            earlier.requests.forEach((operation, count) -> difference.merge(operation, -count, Integer::sum));
            difference.values().removeIf(count -> count == 0);
            return new Usage(difference, readUnits - earlier.readUnits, writeUnits - earlier.writeUnits);
        }

        /** The request units per call of {@code calls}, the requests still counted in all. */
        public Usage unitsPer(int calls) {
            return new Usage(requests, readUnits / calls, writeUnits / calls);
        }

        @Override
        public String toString() {
            return totalRequests() + " requests " + requests + ", " + fmt(readUnits) + " RRU, " + fmt(writeUnits) + " WRU";
        }

        private static String fmt(double units) {
            return units == Math.rint(units) ? Long.toString((long) units) : String.format(Locale.ROOT, "%.1f", units);
        }
    }

    private record Index(String name, List<String> keys, Set<String> projected, boolean all) {
    }

    private final List<Index> indexes = new ArrayList<>();
    private final List<String> tableKeys = new ArrayList<>();
    private final Map<String, Integer> requests = new TreeMap<>();
    private double readUnits;
    private double writeUnits;

    public DynamoMeter(String targetEndpoint) throws IOException {
        super(targetEndpoint);
        CreateTableRequest definition = Table.definition("any");
        definition.keySchema().forEach(k -> tableKeys.add(k.attributeName()));
        for (GlobalSecondaryIndex index : definition.globalSecondaryIndexes()) {
            List<String> keys = index.keySchema().stream().map(KeySchemaElement::attributeName).toList();
            indexes.add(new Index(index.indexName(), keys, Set.copyOf(index.projection().nonKeyAttributes()),
                    index.projection().projectionTypeAsString().equals("ALL")));
        }
    }

    public synchronized Usage usage() {
        return new Usage(new TreeMap<>(requests), readUnits, writeUnits);
    }

    @Override
    Response forward(Request request, byte[] body) throws IOException, InterruptedException {
        String operation = operation(request);
        ObjectNode parsed = body.length == 0 ? null : (ObjectNode) JSON.readTree(body);
        if (WRITES.contains(operation)) {
            synchronized (this) {
                return metered(request, operation, parsed);
            }
        }
        return metered(request, operation, parsed);
    }

    private Response metered(Request request, String operation, ObjectNode parsed) throws IOException, InterruptedException {
        List<Write> writes = parsed != null && WRITES.contains(operation) ? writes(operation, parsed) : List.of();
        for (Write write : writes) {
            write.before = read(write.table, write.key);
        }
        if (parsed != null && (READS.contains(operation) || WRITES.contains(operation))) {
            parsed.put("ReturnConsumedCapacity", "TOTAL");
        }
        Response response = super.forward(request, parsed == null ? new byte[0] : JSON.writeValueAsBytes(parsed));
        JsonNode answer = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        synchronized (this) {
            requests.merge(operation, 1, Integer::sum);
            if (response.status() == 200) {
                double units = consumed(answer.get("ConsumedCapacity"));
                if (READS.contains(operation)) {
                    readUnits += units;
                } else if (WRITES.contains(operation)) {
                    writeUnits += units;
                    for (Write write : writes) {
                        JsonNode after = write.put != null ? write.put : write.update ? read(write.table, write.key) : null;
                        writeUnits += indexUnits(write.before, after);
                    }
                }
            } else if (answer.path("__type").asText().endsWith("ConditionalCheckFailedException")) {
                JsonNode existing = writes.isEmpty() ? null : writes.get(0).before;
                writeUnits += Math.max(1, kilobytes(existing == null ? 0 : size(existing), 1024));
            }
        }
        return response;
    }

    /** One item a write touches: its key, and the new item when the write states it whole. */
    private static final class Write {
        final String table;
        final JsonNode key;
        final JsonNode put;
        final boolean update;
        JsonNode before;

        Write(String table, JsonNode key, JsonNode put, boolean update) {
            this.table = table;
            this.key = key;
            this.put = put;
            this.update = update;
        }
    }

    private List<Write> writes(String operation, ObjectNode request) {
        List<Write> writes = new ArrayList<>();
        switch (operation) {
            case "PutItem" -> writes.add(new Write(request.get("TableName").asText(), keyOf(request.get("Item")), request.get("Item"), false));
            case "UpdateItem" -> writes.add(new Write(request.get("TableName").asText(), request.get("Key"), null, true));
            case "DeleteItem" -> writes.add(new Write(request.get("TableName").asText(), request.get("Key"), null, false));
            default -> request.get("RequestItems").fields().forEachRemaining(table -> table.getValue().forEach(item -> {
                if (item.has("PutRequest")) {
                    JsonNode put = item.get("PutRequest").get("Item");
                    writes.add(new Write(table.getKey(), keyOf(put), put, false));
                } else {
                    writes.add(new Write(table.getKey(), item.get("DeleteRequest").get("Key"), null, false));
                }
            }));
        }
        return writes;
    }

    private JsonNode keyOf(JsonNode item) {
        ObjectNode key = JSON.createObjectNode();
        tableKeys.forEach(name -> key.set(name, item.get(name)));
        return key;
    }

    /** The item as it is now, straight from dynalite (not counted), or null. */
    private JsonNode read(String table, JsonNode key) throws IOException, InterruptedException {
        ObjectNode get = JSON.createObjectNode().put("TableName", table).put("ConsistentRead", true);
        get.set("Key", key);
        Response response = send("POST", "/", Map.of("x-amz-target", List.of("DynamoDB_20120810.GetItem"),
                "x-amz-date", List.of("20200101T000000Z"), "content-type", List.of("application/x-amz-json-1.0"),
                "authorization", List.of("AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, "
                        + "SignedHeaders=host, Signature=0")), JSON.writeValueAsBytes(get));
        if (response.status() != 200) {
            throw new IOException("DynamoMeter could not read an item back: " + new String(response.body(), StandardCharsets.UTF_8));
        }
        JsonNode item = JSON.readTree(response.body()).get("Item");
        return item == null || item.isNull() ? null : item;
    }

    /** Write units the global secondary indexes cost for one item going from {@code before} to {@code after}. */
    private double indexUnits(JsonNode before, JsonNode after) {
        double units = 0;
        for (Index index : indexes) {
            boolean wasIn = before != null && index.keys().stream().allMatch(before::has);
            boolean isIn = after != null && index.keys().stream().allMatch(after::has);
            if (!wasIn && !isIn) {
                continue;
            }
            ObjectNode old = wasIn ? entry(index, before) : null;
            ObjectNode now = isIn ? entry(index, after) : null;
            boolean moved = wasIn && isIn && index.keys().stream().anyMatch(k -> !before.get(k).equals(after.get(k)));
            if (wasIn && isIn && !moved) {
                units += old.equals(now) ? 0 : kilobytes(size(now), 1024);
            } else {
                units += (old == null ? 0 : kilobytes(size(old), 1024)) + (now == null ? 0 : kilobytes(size(now), 1024));
            }
        }
        return units;
    }

    /** The index entry of an item: the table's keys, the index's keys and the projected attributes. */
    private ObjectNode entry(Index index, JsonNode item) {
        ObjectNode entry = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = item.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (index.all() || tableKeys.contains(name) || index.keys().contains(name) || index.projected().contains(name)) {
                entry.set(name, field.getValue());
            }
        }
        return entry;
    }

    private static double consumed(JsonNode capacity) {
        if (capacity == null || capacity.isNull()) {
            return 0;
        }
        if (capacity.isArray()) {
            double sum = 0;
            for (JsonNode table : capacity) {
                sum += table.path("CapacityUnits").asDouble();
            }
            return sum;
        }
        return capacity.path("CapacityUnits").asDouble();
    }

    private static long kilobytes(long bytes, int unit) {
        return Math.max(1, (bytes + unit - 1) / unit);
    }

    /** An item's size as DynamoDB counts it: names and values in UTF-8, numbers by significant digits. */
    static long size(JsonNode item) {
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> fields = item.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            size += utf8(field.getKey()) + valueSize(field.getValue());
        }
        return size;
    }

    private static long valueSize(JsonNode value) {
        Map.Entry<String, JsonNode> typed = value.fields().next();
        JsonNode v = typed.getValue();
        return switch (typed.getKey()) {
            case "S" -> utf8(v.asText());
            case "N" -> numberSize(v.asText());
            case "B" -> java.util.Base64.getDecoder().decode(v.asText()).length;
            case "BOOL", "NULL" -> 1;
            case "SS" -> sum(v, e -> utf8(e.asText()));
            case "NS" -> sum(v, e -> numberSize(e.asText()));
            case "BS" -> sum(v, e -> java.util.Base64.getDecoder().decode(e.asText()).length);
            case "L" -> 3 + sum(v, e -> 1 + valueSize(e));
            case "M" -> 3 + v.size() + size(v);
            default -> throw new IllegalArgumentException("unknown DynamoDB type " + typed.getKey());
        };
    }

    private static long sum(JsonNode array, java.util.function.ToLongFunction<JsonNode> each) {
        long total = 0;
        for (JsonNode element : array) {
            total += each.applyAsLong(element);
        }
        return total;
    }

    /** About one byte per two significant digits, plus one. */
    private static long numberSize(String number) {
        String digits = new java.math.BigDecimal(number).unscaledValue().abs().toString().replaceAll("^0+|0+$", "");
        return digits.isEmpty() ? 1 : 1 + (digits.length() + 1) / 2 + (number.startsWith("-") ? 1 : 0);
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
