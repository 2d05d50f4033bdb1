package dev.segments.segment.api;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Byte runs deflated on their own at gzip's fastest level, raw (no zlib or gzip wrapper), so
 * that fragments compressed at different times can be joined into one deflate stream: each
 * ends with a sync flush (byte-aligned, not the final block) and refers to nothing before it,
 * and the last one, {@link #finished}, ends with the final block. One {@link Deflater} serves
 * every fragment of an answer, reset between them (its native state is ~300 KB to set up).
 */
final class RawDeflate implements AutoCloseable {

    /** As {@link dev.segments.web.GzipResponses} compresses other answers: the fraction of a core a function has pays for its time. */
    private static final int LEVEL = Deflater.BEST_SPEED;

    /** A run of bytes deflated, with what the gzip trailer needs of it (its CRC-32, its length and its {@link Crc32Combine#shift}). */
    record Fragment(byte[] deflated, int crc, int length, int shift) {
    }

    private final Deflater deflater = new Deflater(LEVEL, true);
    private final CRC32 crc = new CRC32();

    /** {@code bytes[from, to)} deflated, ending byte-aligned so that more fragments can follow. */
    Fragment flushed(byte[] bytes, int from, int to) {
        return deflate(bytes, from, to, false);
    }

    /** {@code bytes[from, to)} deflated as the end of the stream. */
    Fragment finished(byte[] bytes, int from, int to) {
        return deflate(bytes, from, to, true);
    }

    private Fragment deflate(byte[] bytes, int from, int to, boolean last) {
        deflater.reset();
        deflater.setInput(bytes, from, to - from);
        // JSON of schedules deflates to about a seventh at this level.
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, (to - from) / 5));
        byte[] buffer = new byte[Math.max(64, Math.min(64 * 1024, (to - from) / 4))];
        if (last) {
            deflater.finish();
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        } else {
            // A sync flush is complete once it leaves room in the buffer (Deflater's documented loop).
            int written;
            do {
                written = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, written);
            } while (written == buffer.length);
        }
        crc.reset();
        crc.update(bytes, from, to - from);
        return new Fragment(out.toByteArray(), (int) crc.getValue(), to - from, Crc32Combine.shift(to - from));
    }

    @Override
    public void close() {
        deflater.end();
    }
}
