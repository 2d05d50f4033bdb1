package dev.segments.segment.api;

/**
 * The CRC-32 of two byte runs joined, from the CRC-32 of each and the second's length, as zlib's
 * {@code crc32_combine} computes it (no bytes read again): the first CRC is multiplied by
 * x^(8 * length) modulo the CRC polynomial, in the reflected bit order CRC-32 uses, and added
 * to the second. A gzip answer assembled from kept fragments gets its trailer this way.
 */
final class Crc32Combine {

    /** CRC-32's polynomial, reflected. */
    private static final int POLYNOMIAL = 0xedb88320;
    /** x^(2^k) modulo the polynomial, for k = 0..31 (the powers repeat after 2^32 - 1 steps, so 32 do). */
    private static final int[] X_TO_2_TO_K = new int[32];

    static {
        int p = 1 << 30; // x^1
        for (int k = 0; k < X_TO_2_TO_K.length; k++) {
            X_TO_2_TO_K[k] = p;
            p = multiply(p, p);
        }
    }

    private Crc32Combine() {
    }

    /** The CRC-32 of A then B, given {@code crcA}, {@code crcB} and B's length in bytes. */
    static int combine(int crcA, int crcB, long lengthB) {
        return combineShifted(crcA, crcB, shift(lengthB));
    }

    /**
     * What {@link #combine} multiplies the first CRC by for a second run of {@code length} bytes:
     * a kept fragment keeps it, so that joining it costs one multiplication, not ~log2(length).
     */
    static int shift(long length) {
        return xToThe8Times(length);
    }

    /** {@link #combine}, with B's {@link #shift} in place of its length. */
    static int combineShifted(int crcA, int crcB, int shiftB) {
        return multiply(shiftB, crcA) ^ crcB;
    }

    /** a * b modulo the polynomial (bit 31 is x^0). */
    private static int multiply(int a, int b) {
        int product = 0;
        for (int m = 1 << 31; m != 0; m >>>= 1) {
            if ((a & m) != 0) {
                product ^= b;
                if ((a & (m - 1)) == 0) {
                    break;
                }
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
        }
        return product;
    }

    /** x^(8 * n) modulo the polynomial. */
    private static int xToThe8Times(long n) {
        int p = 1 << 31; // x^0
        for (int k = 3; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                p = multiply(X_TO_2_TO_K[k & 31], p);
            }
        }
        return p;
    }
}
