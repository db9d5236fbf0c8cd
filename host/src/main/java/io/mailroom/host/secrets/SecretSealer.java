package io.mailroom.host.secrets;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Seals secrets (passwords, OAuth tokens, client secrets) with AES-256-GCM before they are
 * stored. A sealed value reads {@code v1:<key id>:<base64 of iv + ciphertext + tag>}; the key id
 * lets {@link MasterKeys} open rows sealed under an older key after a new one is added.
 *
 * <p>The {@code context} (for example {@code mailbox:12:password}) is bound as associated data,
 * so a sealed value copied to another row or column does not open there.
 */
public final class SecretSealer {

    private static final String VERSION = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MasterKeys keys;
    private final SecureRandom random = new SecureRandom();

    public SecretSealer(MasterKeys keys) {
        this.keys = keys;
    }

    /** Seals a secret for the given context. */
    public String seal(String plaintext, String context) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return VERSION + ":" + keys.currentId() + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * Opens a sealed secret.
     *
     * @throws SealedSecretException when the value is not sealed, its key is unknown, or it was
     *                               sealed for another context or tampered with
     */
    public String open(String sealed, String context) {
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw new SealedSecretException("not a sealed value");
        }
        var key = keys.find(parts[1])
                .orElseThrow(() -> new SealedSecretException("sealed with key " + parts[1] + ", which is not configured"));
        try {
            byte[] data = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new SealedSecretException("cannot open a value sealed with key " + parts[1]
                    + ": wrong context or altered");
        }
    }

    /**
     * The same secret sealed under the current key, for key rotation: a value already sealed
     * under it comes back as it is (so a second run changes nothing).
     *
     * @throws SealedSecretException when the value does not open (its key is not configured, or
     *                               it was sealed for another context)
     */
    public String reseal(String sealed, String context) {
        return sealedWithCurrentKey(sealed) ? sealed : seal(open(sealed, context), context);
    }

    /** Whether a stored value is sealed under the key that seals now. */
    public boolean sealedWithCurrentKey(String sealed) {
        return sealed.startsWith(VERSION + ":" + keys.currentId() + ":");
    }

    /** The id of the key that seals now (the first 8 hex digits of its SHA-256): safe to show. */
    public String currentKeyId() {
        return keys.currentId();
    }

    /**
     * A MAC (HMAC-SHA256, base64url) of {@code data} for {@code context}, for values that leave the
     * server and come back (an OAuth {@code state}). Its key is derived from the current master key,
     * so it is never the AES key itself.
     */
    public String sign(String data, String context) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(keys.current().getEncoded(), "HmacSHA256"));
            byte[] signingKey = derive.doFinal("mailroom signing key".getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            mac.update(context.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    /** Whether {@code mac} is {@link #sign}'s answer for {@code data} and {@code context}, in constant time. */
    public boolean verify(String data, String context, String mac) {
        return MessageDigest.isEqual(sign(data, context).getBytes(StandardCharsets.US_ASCII),
                mac.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Whether a stored value has the form of a sealed one. For showing settings whose
     * descriptors are unknown (their plugin is not started): such a value is never shown.
     */
    public static boolean looksSealed(String value) {
        return value != null && value.startsWith(VERSION + ":") && value.split(":", 3).length == 3;
    }
}
