package dev.segments.token;

/** A token as stored: never its secret, only the secret's hash and its last four characters. */
public record AccessToken(String id, String name, Role role, String hash, String lastFour, long creationDate,
        long lastModified, String ownerId) {

    public AccessToken with(String newName, Role newRole, long now) {
        return new AccessToken(id, newName, newRole, hash, lastFour, creationDate, now, ownerId);
    }
}
