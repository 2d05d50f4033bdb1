package dev.segments.segment.api;

import dev.segments.project.ProjectStore;
import dev.segments.segment.SegmentKey;
import dev.segments.web.ApiError;
import dev.segments.web.Keys;
import jakarta.enterprise.context.ApplicationScoped;

/** Checks path keys and, when something is missing, says exactly which of project, environment or segment it is. */
@ApplicationScoped
class SegmentLocator {

    private final ProjectStore projects;

    SegmentLocator(ProjectStore projects) {
        this.projects = projects;
    }

    static SegmentKey key(String projectKey, String environmentKey, String segmentKey) {
        return new SegmentKey(Keys.resource("project", projectKey), Keys.resource("environment", environmentKey),
                Keys.resource("segment", segmentKey));
    }

    /** 404 unless the project and its environment exist. */
    void requireEnvironment(String projectKey, String environmentKey) {
        var project = projects.find(projectKey).orElseThrow(() -> ApiError.notFound(
                "Project \"" + projectKey + "\" not found. Create it with POST /api/v2/projects."));
        if (project.environment(environmentKey).isEmpty()) {
            throw ApiError.notFound("Environment \"" + environmentKey + "\" not found in project \"" + projectKey
                    + "\". Create it with POST /api/v2/projects/" + projectKey + "/environments.");
        }
    }

    /** The 404 for a segment that is not there, naming the first missing level. */
    ApiError segmentNotFound(SegmentKey key) {
        requireEnvironment(key.projectKey(), key.environmentKey());
        return ApiError.notFound("Segment \"" + key.key() + "\" not found in environment \"" + key.environmentKey()
                + "\" of project \"" + key.projectKey() + "\".");
    }
}
