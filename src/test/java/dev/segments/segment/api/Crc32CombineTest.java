package dev.segments.segment.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** CRC-32s combined piece by piece are the CRC-32 of the whole, over random bytes cut at random places. */
class Crc32CombineTest {

    @Test
    void combinedPiecesAreTheCrcOfTheWhole() {
        Random random = new Random(32);
        for (int round = 0; round < 500; round++) {
            byte[] bytes = new byte[random.nextInt(round < 100 ? 40 : 70_000)];
            random.nextBytes(bytes);
            int[] cuts = random.ints(random.nextInt(8), 0, bytes.length + 1).sorted().toArray();
            int crc = crc(bytes, 0, 0);
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i == cuts.length ? bytes.length : cuts[i];
                crc = i % 2 == 0 ? Crc32Combine.combine(crc, crc(bytes, from, to), to - from)
                        : Crc32Combine.combineShifted(crc, crc(bytes, from, to), Crc32Combine.shift(to - from));
                from = to;
            }
            assertEquals(crc(bytes, 0, bytes.length), crc, "round " + round + ", " + bytes.length + " bytes cut at " + Arrays.toString(cuts));
        }
    }

    @Test
    void aLongSecondPieceCombinesAsItsBytes() {
        byte[] zeros = new byte[5 << 20];
        byte[] one = {42};
        byte[] whole = Arrays.copyOf(one, 1 + zeros.length);
        assertEquals(crc(whole, 0, whole.length), Crc32Combine.combine(crc(one, 0, 1), crc(zeros, 0, zeros.length), zeros.length));
    }

    private static int crc(byte[] bytes, int from, int to) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, to - from);
        return (int) crc.getValue();
    }
}
