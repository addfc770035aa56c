package io.ferrymq.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

/**
 * A salted SHA-256 password hash: {@code sha256(salt ++ utf8(password))}, RabbitMQ's default scheme
 * ({@code rabbit_password_hashing_sha256}). The plain password is never kept; {@link #matches} compares in
 * constant time. {@link #encoded()} is RabbitMQ's {@code password_hash} text, so definitions move between the two
 * brokers in both directions.
 */
public record PasswordHash(byte[] salt, byte[] hash) {
    /** RabbitMQ's salt length: a longer one would not verify after an import into RabbitMQ. */
    private static final int SALT_BYTES = 4;
    private static final int SHA256_BYTES = 32;

    public static PasswordHash of(String password, Random random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(salt, digest(salt, password));
    }

    /**
     * Reads RabbitMQ's {@code password_hash}: base64 of the salt followed by the 32-byte digest.
     *
     * @throws IllegalArgumentException when the text is not base64 or too short to hold a digest
     */
    public static PasswordHash decode(String encoded) {
        byte[] bytes = Base64.getDecoder().decode(encoded);
        if (bytes.length <= SHA256_BYTES) {
            throw new IllegalArgumentException("a SHA-256 password_hash holds a salt and 32 bytes of digest, this"
                    + " one only " + bytes.length + " bytes");
        }
        return new PasswordHash(Arrays.copyOf(bytes, bytes.length - SHA256_BYTES),
                Arrays.copyOfRange(bytes, bytes.length - SHA256_BYTES, bytes.length));
    }

    public String encoded() {
        byte[] both = Arrays.copyOf(salt, salt.length + hash.length);
        System.arraycopy(hash, 0, both, salt.length, hash.length);
        return Base64.getEncoder().encodeToString(both);
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
