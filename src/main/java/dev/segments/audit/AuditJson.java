package dev.segments.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segments.segment.Change;
import dev.segments.segment.SegmentKey;
import dev.segments.segment.store.AuditEntry;
import dev.segments.web.Links;
import java.util.List;

/** Audit log entries as LaunchDarkly's API represents them. */
public final class AuditJson {

    static final String PATH = "/api/v2/auditlog";
    /** A self-hosted service has one account. */
    public static final String ACCOUNT_ID = "self-hosted";
    /** How entries name the expiry service; no token may take this name. */
    public static final String SERVICE_NAME = "Expiry service";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AuditJson() {
    }

    /** {@code AuditLogEntryListingRep}. */
    static ObjectNode listing(AuditEntry entry) {
        Change change = entry.change();
        SegmentKey key = entry.segment();
        String resource = ResourceSpec.of(key);
        ObjectNode node = JSON.objectNode();
        node.set("_links", Links.of("self", PATH + "/" + entry.id()));
        node.put("_id", entry.id());
        node.put("_accountId", ACCOUNT_ID);
        node.put("date", change.at());
        ObjectNode access = node.putArray("accesses").addObject();
        access.put("action", action(change));
        access.put("resource", resource);
        node.put("kind", "segment");
        node.put("name", key.key());
        node.put("description", description(change));
        node.put("shortDescription", shortDescription(change));
        if (change.comment() != null) {
            node.put("comment", change.comment());
        }
        if (change.actor().equals(Change.SERVICE)) {
            node.putObject("subject").put("name", SERVICE_NAME);
        } else {
            ObjectNode token = node.putObject("token");
            if (change.actor().id() != null) {
                token.put("_id", change.actor().id());
            }
            token.put("name", change.actor().name());
        }
        node.put("titleVerb", titleVerb(change));
        node.put("title", who(change) + " " + titleVerb(change) + " " + key.key());
        ObjectNode target = node.putObject("target");
        target.set("_links", Links.of("canonical", "/api/v2/segments/" + key.projectKey() + "/" + key.environmentKey() + "/" + key.key()));
        target.put("name", key.key());
        target.putArray("resources").add(resource);
        ObjectNode parent = node.putObject("parent");
        parent.set("_links", Links.of("canonical", "/api/v2/projects/" + key.projectKey() + "/environments/" + key.environmentKey()));
        parent.put("name", key.environmentKey());
        parent.put("resource", "proj/" + key.projectKey() + ":env/" + key.environmentKey());
        return node;
    }

    /** {@code AuditLogEntryRep}: the listing plus the versions the change went between. */
    static ObjectNode detail(AuditEntry entry) {
        ObjectNode node = listing(entry);
        Change change = entry.change();
        if (!change.isCreation()) {
            version(node.putObject("previousVersion"), entry.segment(), change.version() - 1, false);
        }
        version(node.putObject("currentVersion"), entry.segment(), change.version(), change.isDeletion());
        node.putArray("subentries");
        return node;
    }

    /** {@code AuditLogEntryListingRepCollection}. */
    static ObjectNode collection(List<AuditEntry> entries, String self, String next) {
        ObjectNode node = JSON.objectNode();
        ArrayNode items = node.putArray("items");
        entries.forEach(entry -> items.add(listing(entry)));
        node.set("_links", next == null ? Links.of("self", self) : Links.of("self", self, "next", next));
        return node;
    }

    private static void version(ObjectNode node, SegmentKey key, long version, boolean deleted) {
        node.put("key", key.key());
        node.put("version", version);
        node.put("deleted", deleted);
    }

    private static String description(Change change) {
        StringBuilder text = new StringBuilder();
        change.effects().forEach(effect -> text.append("- ").append(effect).append('\n'));
        return text.append("\nSegment version ").append(change.version()).append('.').toString();
    }

    private static String shortDescription(Change change) {
        String first = change.effects().isEmpty() ? "Changed the segment" : change.effects().get(0);
        int more = change.effects().size() - 1;
        return more == 0 ? first : first + " (and " + more + " more)";
    }

    private static String titleVerb(Change change) {
        return change.isCreation() ? "created the segment" : change.isDeletion() ? "deleted the segment" : "updated the segment";
    }

    private static String action(Change change) {
        return change.isCreation() ? "createSegment" : change.isDeletion() ? "deleteSegment" : "updateSegment";
    }

    private static String who(Change change) {
        return change.actor().equals(Change.SERVICE) ? SERVICE_NAME : change.actor().name();
    }
}
