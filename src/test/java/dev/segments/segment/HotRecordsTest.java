package dev.segments.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The records a 15,000-target segment hashes and compares on every request write their own
 * equals and hashCode. A record's generated ones bootstrap through
 * {@code java.lang.runtime.ObjectMethods}, which a native image runs as interpreted method
 * handles: over a third of a big PATCH's CPU in the native package at 512 MB (perf).
 */
class HotRecordsTest {

    @ParameterizedTest
    @ValueSource(classes = {TargetRef.class, ExpiringTarget.class})
    void equalsAndHashCodeAreWrittenOut(Class<?> type) throws IOException {
        String classFile;
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        String self = "L" + type.getName().replace('.', '/') + ";";
        // The descriptors of the invokedynamic call sites a generated equals and hashCode make.
        assertFalse(classFile.contains("(" + self + "Ljava/lang/Object;)Z"), type + " generates equals");
        assertFalse(classFile.contains("(" + self + ")I"), type + " generates hashCode");
    }

    @Test
    void targetRefsAreEqualByTypeKindAndKey() {
        TargetRef ref = new TargetRef(TargetType.INCLUDED, "user", "a");
        assertEquals(ref, new TargetRef(TargetType.INCLUDED, "user", "a"));
        assertEquals(ref.hashCode(), new TargetRef(TargetType.INCLUDED, "user", "a").hashCode());
        assertNotEquals(ref, new TargetRef(TargetType.EXCLUDED, "user", "a"));
        assertNotEquals(ref, new TargetRef(TargetType.INCLUDED, "org", "a"));
        assertNotEquals(ref, new TargetRef(TargetType.INCLUDED, "user", "b"));
        assertNotEquals(ref, null);
    }

    @Test
    void schedulesAreEqualByEveryField() {
        TargetRef ref = new TargetRef(TargetType.INCLUDED, "user", "a");
        ExpiringTarget schedule = new ExpiringTarget("id", 1, 5, ref);
        assertEquals(schedule, new ExpiringTarget("id", 1, 5, new TargetRef(TargetType.INCLUDED, "user", "a")));
        assertEquals(schedule.hashCode(), new ExpiringTarget("id", 1, 5, ref).hashCode());
        assertNotEquals(schedule, new ExpiringTarget("other", 1, 5, ref));
        assertNotEquals(schedule, new ExpiringTarget("id", 2, 5, ref));
        assertNotEquals(schedule, new ExpiringTarget("id", 1, 6, ref));
        assertNotEquals(schedule, new ExpiringTarget("id", 1, 5, new TargetRef(TargetType.EXCLUDED, "user", "a")));
    }
}
