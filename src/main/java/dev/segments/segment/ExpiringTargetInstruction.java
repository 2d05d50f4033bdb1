package dev.segments.segment;

import java.util.function.Supplier;

/**
 * One instruction on a segment's scheduled removals. The user endpoint and the context
 * endpoint both speak this; they differ only in what a {@link VersionCheck} compares.
 * Each kind checks everything before it changes anything.
 */
public sealed interface ExpiringTargetInstruction {

    /** Below this a date in milliseconds would be before March 1973: almost surely seconds. */
    long SECONDS_SUSPICION_LIMIT = 100_000_000_000L;

    TargetRef target();

    void apply(SegmentDraft draft, long now, Supplier<String> ids) throws InstructionRejected;

    /** What an update's {@code version} must match. */
    sealed interface VersionCheck {
        void verify(SegmentDraft draft, ExpiringTarget schedule) throws InstructionRejected;

        /** The user endpoint: the segment's version as it stood before the request. */
        record SegmentVersion(long expected) implements VersionCheck {
            @Override
            public void verify(SegmentDraft draft, ExpiringTarget schedule) throws InstructionRejected {
                if (expected != draft.baseVersion()) {
                    throw new InstructionRejected("The version " + expected + " given for " + schedule.target().describe()
                            + " is not the segment's current version " + draft.baseVersion()
                            + ". Read the segment again and send its current version.");
                }
            }
        }

        /** The context endpoint: the schedule's own {@code _version}. */
        record TargetVersion(long expected) implements VersionCheck {
            @Override
            public void verify(SegmentDraft draft, ExpiringTarget schedule) throws InstructionRejected {
                if (expected != schedule.version()) {
                    throw new InstructionRejected("The version " + expected + " given for the scheduled removal of "
                            + schedule.target().describe() + " is not its current version " + schedule.version()
                            + ". Read the expiring targets again and send the current _version.");
                }
            }
        }

        record None() implements VersionCheck {
            @Override
            public void verify(SegmentDraft draft, ExpiringTarget schedule) {
            }
        }
    }

    /** {@code addExpireUserTargetDate} / {@code addExpiringTarget}. Adding the same date again is a no-op. */
    record Add(TargetRef target, long value) implements ExpiringTargetInstruction {
        @Override
        public void apply(SegmentDraft draft, long now, Supplier<String> ids) throws InstructionRejected {
            requireFuture(target, value, now);
            requireTargeted(draft, target);
            var existing = draft.schedule(target);
            if (existing.isPresent()) {
                if (existing.get().expirationDate() == value) {
                    return;
                }
                throw new InstructionRejected(capitalized(target.describe()) + " already has a removal from "
                        + target.type().wire() + " scheduled for " + SegmentDraft.date(existing.get().expirationDate())
                        + ". Use the update instruction to move it, or remove it first.");
            }
            ExpiringTarget schedule = new ExpiringTarget(ids.get(), 1, value, target);
            draft.requireRoomFor(schedule);
            draft.putSchedule(schedule,
                    "Scheduled the removal of " + target.describe() + " from " + target.type().wire() + " for "
                            + SegmentDraft.date(value));
        }
    }

    /** {@code updateExpireUserTargetDate} / {@code updateExpiringTarget}. */
    record Update(TargetRef target, long value, VersionCheck versionCheck) implements ExpiringTargetInstruction {
        @Override
        public void apply(SegmentDraft draft, long now, Supplier<String> ids) throws InstructionRejected {
            requireFuture(target, value, now);
            requireTargeted(draft, target);
            ExpiringTarget existing = draft.schedule(target).orElseThrow(() -> new InstructionRejected(
                    capitalized(target.describe()) + " has no removal from " + target.type().wire()
                            + " scheduled, so there is nothing to update. Use the add instruction to schedule one."));
            versionCheck.verify(draft, existing);
            if (existing.expirationDate() == value) {
                return;
            }
            draft.putSchedule(existing.movedTo(value), "Moved the removal of " + target.describe() + " from "
                    + target.type().wire() + " from " + SegmentDraft.date(existing.expirationDate()) + " to "
                    + SegmentDraft.date(value));
        }
    }

    /** {@code removeExpireUserTargetDate} / {@code removeExpiringTarget}: the target stays; no schedule is a no-op. */
    record Remove(TargetRef target) implements ExpiringTargetInstruction {
        @Override
        public void apply(SegmentDraft draft, long now, Supplier<String> ids) {
            draft.removeSchedule(target);
        }
    }

    private static void requireFuture(TargetRef target, long value, long now) throws InstructionRejected {
        if (value > now) {
            return;
        }
        String message = "The removal date " + SegmentDraft.date(value) + " for " + target.describe()
                + " is not in the future. Send a later date in Unix milliseconds.";
        if (value < SECONDS_SUSPICION_LIMIT) {
            message += " The value looks like seconds: this API takes milliseconds, so multiply it by 1000.";
        }
        throw new InstructionRejected(message);
    }

    private static void requireTargeted(SegmentDraft draft, TargetRef target) throws InstructionRejected {
        if (!draft.contains(target)) {
            throw new InstructionRejected(capitalized(target.describe()) + " is not in the segment's "
                    + target.type().wire() + " list. Add it to " + target.type().wire()
                    + " before scheduling its removal.");
        }
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
