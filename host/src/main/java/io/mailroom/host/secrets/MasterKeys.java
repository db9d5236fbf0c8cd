package io.mailroom.host.secrets;

import io.mailroom.host.config.ConfigException;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AES-256 master keys that seal secrets. Keys come from {@code MAILROOM_SECRET_KEY}
 * (comma-separated base64 keys) or, when it is not set, from {@code secret.key} in the data
 * directory, one base64 key a line, generated with mode 0600 on first start. The first key seals;
 * every key opens, so a new key is added in front and old rows still open.
 *
 * <p>A key's id is derived from the key itself (the first 8 hex digits of its SHA-256), so ids
 * never need to be configured and a wrong key is recognised rather than producing garbage.
 */
public final class MasterKeys {

    static final String KEY_FILE = "secret.key";

    private final Map<String, SecretKey> byId;
    private final String currentId;

    private MasterKeys(List<byte[]> keys) {
        Map<String, SecretKey> map = new LinkedHashMap<>();
        for (byte[] key : keys) {
            map.put(idOf(key), new SecretKeySpec(key, "AES"));
        }
        this.byId = Map.copyOf(map);
        this.currentId = idOf(keys.getFirst());
    }

    /** Keys from configuration, else from the key file in {@code dataDir} (made when missing). */
    public static MasterKeys load(Optional<String> configured, Path dataDir) {
        if (configured.isPresent()) {
            return new MasterKeys(decode(configured.get().split(","), "mailroom.secret.key"));
        }
        Path file = keyFile(dataDir);
        try {
            if (!Files.exists(file)) {
                generate(file);
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
                    .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            return new MasterKeys(decode(lines.toArray(String[]::new), file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key file " + file, e);
        }
    }

    /** Whether there are keys to load: configured, or in the key file (which {@link #load} would otherwise make). */
    public static boolean present(Optional<String> configured, Path dataDir) {
        return configured.isPresent() || Files.exists(keyFile(dataDir));
    }

    /** Where the keys are kept when none is configured. */
    public static Path keyFile(Path dataDir) {
        return dataDir.resolve(KEY_FILE);
    }

    /** Keys given directly; the first seals. */
    public static MasterKeys of(List<byte[]> keys) {
        return new MasterKeys(keys);
    }

    /** A new random 256-bit key, base64. */
    public static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    String currentId() {
        return currentId;
    }

    SecretKey current() {
        return byId.get(currentId);
    }

    Optional<SecretKey> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    private static void generate(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "# Mailroom master key: keep it, back it up; without it sealed secrets are lost.\n"
                + newKey() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
    }

    private static List<byte[]> decode(String[] encoded, String source) {
        List<byte[]> keys = new ArrayList<>();
        for (String text : encoded) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(text.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("mailroom.secret.key", "a key in " + source + " is not base64");
            }
            if (key.length != 32) {
                throw new ConfigException("mailroom.secret.key",
                        "a key in " + source + " has " + key.length + " bytes; AES-256 needs 32");
            }
            keys.add(key);
        }
        if (keys.isEmpty()) {
            throw new ConfigException("mailroom.secret.key", "no key in " + source);
        }
        return keys;
    }

    private static String idOf(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
