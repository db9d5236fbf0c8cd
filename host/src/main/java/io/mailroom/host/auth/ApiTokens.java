package io.mailroom.host.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes bearer tokens and the hashes they are stored as. Tokens carry 256 random bits, so a
 * plain SHA-256 is enough: there is nothing to guess that a slow hash would protect.
 */
public final class ApiTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "mr_";

    private ApiTokens() {
    }

    /** A new random token, shown to its owner once. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The value stored for a token. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
