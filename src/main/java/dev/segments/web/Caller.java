package dev.segments.web;

import dev.segments.segment.Actor;
import dev.segments.token.Role;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request. */
@RequestScoped
public class Caller {

    private String name;
    private String id;
    private Role role;

    void set(String id, String name, Role role) {
        this.id = id;
        this.name = name;
        this.role = role;
    }

    /** The token as the author of a change: its id and name. */
    public Actor actor() {
        return new Actor(id, name);
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }
}
