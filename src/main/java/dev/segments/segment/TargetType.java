package dev.segments.segment;

import java.util.Optional;

/** Which of a segment's individual target lists a context is in. */
public enum TargetType {
    INCLUDED("included"),
    EXCLUDED("excluded");

    private final String wire;

    TargetType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public TargetType other() {
        return this == INCLUDED ? EXCLUDED : INCLUDED;
    }

    public static Optional<TargetType> fromWire(String value) {
        for (TargetType type : values()) {
            if (type.wire.equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
