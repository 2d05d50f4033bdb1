package dev.segments.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The {@code _links} objects of LaunchDarkly representations. */
public final class Links {

    private Links() {
    }

    public static ObjectNode of(String... relAndHref) {
        ObjectNode links = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < relAndHref.length; i += 2) {
            ObjectNode link = links.putObject(relAndHref[i]);
            link.put("href", relAndHref[i + 1]);
            link.put("type", "application/json");
        }
        return links;
    }
}
