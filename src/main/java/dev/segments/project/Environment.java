package dev.segments.project;

import java.util.List;

/**
 * An environment of a project. Its {@code id} is new each time an environment is created, also
 * when a deleted one is created again with the same key, so it tells the incarnations of a key
 * apart (segments carry it; see {@code segment.store.EnvironmentScope}). The SDK keys and the
 * {@link Settings} exist for compatibility; this service keeps and shows them, and does not act on them.
 */
public record Environment(String id, String key, String name, String color, List<String> tags, Settings settings,
        String apiKey, String mobileKey, long creationDate) {

    public Environment {
        tags = List.copyOf(tags);
    }

    /** LaunchDarkly's environment settings, which concern its SDKs, flags and user interface. */
    public record Settings(long defaultTtl, boolean secureMode, boolean defaultTrackEvents, boolean requireComments,
            boolean confirmChanges, boolean critical) {

        public static final Settings DEFAULT = new Settings(0, false, false, false, false, false);
    }

    public Environment with(String newName, String newColor, List<String> newTags, Settings newSettings) {
        return new Environment(id, key, newName, newColor, newTags, newSettings, apiKey, mobileKey, creationDate);
    }
}
