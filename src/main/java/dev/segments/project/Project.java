package dev.segments.project;

import java.util.List;
import java.util.Optional;

public record Project(String id, String key, String name, List<String> tags, long creationDate,
        List<Environment> environments) {

    public Project {
        tags = List.copyOf(tags);
        environments = List.copyOf(environments);
    }

    public Optional<Environment> environment(String environmentKey) {
        return environments.stream().filter(e -> e.key().equals(environmentKey)).findFirst();
    }
}
