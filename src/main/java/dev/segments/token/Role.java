package dev.segments.token;

import java.util.Optional;

/** What a token may do: readers only read, writers change segments and projects, admins also manage tokens. */
public enum Role {
    READER("reader"),
    WRITER("writer"),
    ADMIN("admin");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean atLeast(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    public static Optional<Role> fromWire(String value) {
        for (Role role : values()) {
            if (role.wire.equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
