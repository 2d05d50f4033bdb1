package dev.segments.audit;

import dev.segments.segment.SegmentKey;
import dev.segments.web.ApiError;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The part of LaunchDarkly's resource specifier syntax that names segments:
 * {@code proj/<key>[:env/<key>[:segment/<key>]]}, where a key may use {@code *} as a glob.
 * A specifier for another kind of resource is valid and matches nothing here.
 */
record ResourceSpec(Glob project, Glob environment, Glob segment, boolean segments, Optional<SegmentKey> exact) {

    private static final Pattern PART = Pattern.compile("^(proj|env|segment|[a-z][a-z-]*)/([^:;]+)$");

    static ResourceSpec parse(String spec) {
        String[] parts = spec == null || spec.isBlank() ? new String[0] : spec.split(":", -1);
        String[] keys = {"*", "*", "*"};
        String[] kinds = {"proj", "env", "segment"};
        boolean segments = true;
        for (int i = 0; i < parts.length; i++) {
            var part = PART.matcher(parts[i]);
            if (!part.matches() || i > 2) {
                throw invalid(spec);
            }
            if (!part.group(1).equals(kinds[i])) {
                // A valid specifier of a resource this service does not keep (a flag, a member...).
                segments = false;
            }
            keys[i] = part.group(2);
        }
        Optional<SegmentKey> exact = parts.length == 3 && !String.join("", keys).contains("*")
                ? Optional.of(new SegmentKey(keys[0], keys[1], keys[2]))
                : Optional.empty();
        return new ResourceSpec(Glob.of(keys[0]), Glob.of(keys[1]), Glob.of(keys[2]), segments, exact);
    }

    boolean matches(SegmentKey key) {
        return segments && project.matches(key.projectKey()) && environment.matches(key.environmentKey())
                && segment.matches(key.key());
    }

    static String of(SegmentKey key) {
        return "proj/" + key.projectKey() + ":env/" + key.environmentKey() + ":segment/" + key.key();
    }

    private static ApiError invalid(String spec) {
        return ApiError.invalid("The spec \"" + spec + "\" is not a resource specifier this audit log understands; use "
                + "proj/<project>:env/<environment>:segment/<segment>, where any key may be * or contain * as a wildcard.");
    }
}
