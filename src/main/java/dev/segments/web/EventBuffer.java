package dev.segments.web;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * The array a response event is buffered in on its way to the Lambda runtime API, kept from one
 * event to the next. The poll loop posts each event through an HttpURLConnection, which holds it
 * whole in a new ByteArrayOutputStream before sending it. A native image takes each array of
 * megabytes from fresh memory (and gives it back at the next collection), so every page of a
 * 4.5 MB event cost a page fault: a quarter of a 15,000-user PATCH's CPU at 512 MB (perf). The
 * stream is handed this thread's array instead, through its {@code buf} field. That field is
 * protected: a native image lets this code set it; a JVM needs {@code java.base/java.io} open to
 * it, as AWS's Java runtimes, the build's tests and {@code quarkus:dev} (pom.xml) have it.
 *
 * <p>Handing an array out again is safe because the poll loop posts an event before it takes the
 * next (Lambda gives a process one event at a time), and an array is only handed out on its own
 * thread. Where the field cannot be set, the stream grows as it would, and a warning says so.
 */
@RegisterForReflection(targets = ByteArrayOutputStream.class, fields = true)
final class EventBuffer {

    private static final Logger LOG = Logger.getLogger(EventBuffer.class);
    private static final ThreadLocal<byte[]> KEPT = new ThreadLocal<>();

    private EventBuffer() {
    }

    /** Makes room in {@code out} for {@code bytes} more bytes, in this thread's array. */
    static void reserve(ByteArrayOutputStream out, long bytes) {
        Field buf = Access.BUF;
        if (buf == null) {
            return;
        }
        int room = Math.toIntExact(out.size() + bytes);
        try {
            byte[] current = (byte[]) buf.get(out);
            if (current.length >= room) {
                return;
            }
            byte[] kept = KEPT.get();
            if (kept == null || kept.length < room) {
                // Room for an answer a little larger than this one, as the next answer of the same segment may be.
                kept = new byte[room + room / 16];
                KEPT.set(kept);
            }
            System.arraycopy(current, 0, kept, 0, out.size());
            buf.set(out, kept);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The field, looked up on first use, at run time: whether it is open is the running image's or JVM's answer. */
    private static final class Access {
        static final Field BUF = buf();

        private static Field buf() {
            try {
                Field buf = ByteArrayOutputStream.class.getDeclaredField("buf");
                buf.setAccessible(true);
                return buf;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.warnf("Response events are buffered in fresh memory each time (%s): open java.base/java.io to this code", e);
                return null;
            }
        }
    }
}
