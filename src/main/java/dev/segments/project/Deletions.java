package dev.segments.project;

import dev.segments.ops.Deadlines;
import dev.segments.segment.Actor;
import dev.segments.segment.store.WriteConflict;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Deleting an environment or a project: first the cleanup's record of each environment
 * incarnation that goes, then one conditional write that takes it out of the project item. From
 * that write on, their segments read as absent ({@code segment.store.EnvironmentScope}); the
 * cleanup tombstones them later in bounded steps ({@link LeftoverCleanup}). A crash between the
 * two writes leaves a record of an environment that still exists, which the cleanup drops
 * without touching anything. When the answer to the second write is lost and the SDK's copy of
 * it is refused, what was read is gone already: deleted, as asked, so the answer is 204, not 404.
 */
@ApplicationScoped
public class Deletions {

    private final ProjectStore projects;
    private final DeletedEnvironments deleted;
    private final Deadlines deadlines;

    Deletions(ProjectStore projects, DeletedEnvironments deleted, Deadlines deadlines) {
        this.projects = projects;
        this.deleted = deleted;
        this.deadlines = deadlines;
    }

    /** False if there is no such environment. */
    public boolean deleteEnvironment(String projectKey, String environmentKey, long now, Actor actor) {
        Optional<Project> project = projects.find(projectKey);
        Optional<Environment> environment = project.flatMap(p -> p.environment(environmentKey));
        if (environment.isEmpty()) {
            return false;
        }
        deleted.add(List.of(DeletedEnvironment.of(project.get(), environment.get(), false, now, actor)));
        projects.removeEnvironment(projectKey, environmentKey, environment.get().id());
        return true;
    }

    /** Deletes the project with all its environments; false if there is no such project. */
    public boolean deleteProject(String projectKey, long now, Actor actor) {
        for (int attempt = 1; attempt <= ProjectStore.MAX_ATTEMPTS; attempt++) {
            Optional<Project> project = projects.find(projectKey);
            if (project.isEmpty()) {
                return false;
            }
            deleted.add(project.get().environments().stream()
                    .map(environment -> DeletedEnvironment.of(project.get(), environment, true, now, actor)).toList());
            if (projects.delete(project.get())) {
                return true;
            }
            deadlines.current().pause(attempt);
        }
        throw conflict(projectKey);
    }

    private static WriteConflict conflict(String projectKey) {
        return new WriteConflict("The project \"" + projectKey + "\" kept changing under concurrent writers, and "
                + ProjectStore.MAX_ATTEMPTS + " attempts to delete lost the race. Nothing was deleted; try again.");
    }
}
