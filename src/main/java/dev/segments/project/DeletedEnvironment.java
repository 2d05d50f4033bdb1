package dev.segments.project;

import dev.segments.segment.Actor;
import java.util.Optional;

/**
 * An environment incarnation that was deleted, on its own or with its project, whose segments
 * the cleanup may still have to tombstone; who deleted it and when, for their audit entries;
 * and how far the cleanup's current pass over its segments has come.
 */
public record DeletedEnvironment(String projectKey, String environmentKey, String environmentId, boolean withProject,
        long deletedAt, Actor actor, Optional<String> resumeAfter, long passStartedAt) {

    static DeletedEnvironment of(Project project, Environment environment, boolean withProject, long now, Actor actor) {
        return new DeletedEnvironment(project.key(), environment.key(), environment.id(), withProject, now, actor,
                Optional.empty(), 0);
    }

    /** What the segments were deleted along with, as their audit entries say it. */
    public String container() {
        return withProject ? "project \"" + projectKey + "\""
                : "environment \"" + environmentKey + "\" of project \"" + projectKey + "\"";
    }
}
