package dev.segments.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Token secrets: {@code api-<uuid>}. They carry 122 random bits, so a plain SHA-256 is a safe
 * hash to store and to look them up by; a slow password hash would only slow every request.
 */
public final class TokenSecrets {

    private static final Pattern FORMAT = Pattern.compile("^api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private TokenSecrets() {
    }

    public static String generate() {
        return "api-" + UUID.randomUUID();
    }

    public static boolean wellFormed(String secret) {
        return FORMAT.matcher(secret).matches();
    }

    public static String hash(String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares two hashes in time that does not depend on where they differ. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
