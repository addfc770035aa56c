package io.ferrymq.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/**
 * A salted SHA-256 password hash: {@code sha256(salt ++ utf8(password))}. The plain password is
 * never kept; {@link #matches} compares in constant time.
 */
public record PasswordHash(byte[] salt, byte[] hash) {
    private static final int SALT_BYTES = 16;

    public static PasswordHash of(String password, Random random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(salt, digest(salt, password));
    }

    public boolean matches(String password) {
        return MessageDigest.isEqual(hash, digest(salt, password));
    }

    private static byte[] digest(byte[] salt, String password) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            sha256.update(password.getBytes(StandardCharsets.UTF_8));
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
