package dev.segments.token;

/** A token as stored: never its secret, only the secret's hash and its last four characters. */
public record AccessToken(String id, String name, Role role, String hash, String lastFour, long creationDate,
        String ownerId) {
}
