package dev.segments.project;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A project with its environments, in creation order. {@code version} grows with every stored
 * change, so a change computed from one version commits only if no other came in between.
 */
public record Project(String id, String key, String name, List<String> tags, long creationDate,
        List<Environment> environments, long version) {

    public Project {
        tags = List.copyOf(tags);
        environments = List.copyOf(environments);
    }

    public Optional<Environment> environment(String environmentKey) {
        return environments.stream().filter(e -> e.key().equals(environmentKey)).findFirst();
    }

    public Project with(String newName, List<String> newTags) {
        return new Project(id, key, newName, newTags, creationDate, environments, version);
    }

    /** The project with {@code environment} in place of the one with its key. */
    public Project withEnvironment(Environment environment) {
        List<Environment> next = new ArrayList<>(environments);
        next.replaceAll(e -> e.key().equals(environment.key()) ? environment : e);
        return new Project(id, key, name, tags, creationDate, next, version);
    }
}
