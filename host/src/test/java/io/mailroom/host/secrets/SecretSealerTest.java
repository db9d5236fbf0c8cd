package io.mailroom.host.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretSealerTest {

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void a_sealed_secret_opens_in_its_context_only() {
        SecretSealer sealer = new SecretSealer(MasterKeys.of(List.of(key(1))));

        String sealed = sealer.seal("hunter2", "mailbox:1:password");

        assertThat(sealed).startsWith("v1:").doesNotContain("hunter2");
        assertThat(sealer.open(sealed, "mailbox:1:password")).isEqualTo("hunter2");
        assertThatThrownBy(() -> sealer.open(sealed, "mailbox:2:password"))
                .isInstanceOf(SealedSecretException.class).hasMessageNotContaining("hunter2");
    }

    @Test
    void sealing_twice_gives_different_ciphertexts() {
        SecretSealer sealer = new SecretSealer(MasterKeys.of(List.of(key(1))));

        assertThat(sealer.seal("same", "c")).isNotEqualTo(sealer.seal("same", "c"));
    }

    @Test
    void after_a_new_key_is_added_old_rows_still_open_and_new_rows_use_the_new_key() {
        String old = new SecretSealer(MasterKeys.of(List.of(key(1)))).seal("old secret", "c");
        SecretSealer rotated = new SecretSealer(MasterKeys.of(List.of(key(2), key(1))));

        assertThat(rotated.open(old, "c")).isEqualTo("old secret");
        String fresh = rotated.seal("new secret", "c");
        assertThat(fresh.split(":")[1]).isNotEqualTo(old.split(":")[1]);
        assertThatThrownBy(() -> new SecretSealer(MasterKeys.of(List.of(key(1)))).open(fresh, "c"))
                .isInstanceOf(SealedSecretException.class).hasMessageContaining("not configured");
    }

    @Test
    void a_tampered_value_does_not_open() {
        SecretSealer sealer = new SecretSealer(MasterKeys.of(List.of(key(1))));
        String sealed = sealer.seal("secret", "c");
        byte[] body = Base64.getDecoder().decode(sealed.split(":")[2]);
        body[body.length - 1] ^= 1;
        String tampered = "v1:" + sealed.split(":")[1] + ":" + Base64.getEncoder().encodeToString(body);

        assertThatThrownBy(() -> sealer.open(tampered, "c")).isInstanceOf(SealedSecretException.class);
    }

    @Test
    void without_a_configured_key_a_key_file_is_made_once_with_mode_0600(@TempDir Path dataDir) throws Exception {
        SecretSealer first = new SecretSealer(MasterKeys.load(Optional.empty(), dataDir));
        String sealed = first.seal("kept", "c");

        Path file = dataDir.resolve(MasterKeys.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        SecretSealer second = new SecretSealer(MasterKeys.load(Optional.empty(), dataDir));
        assertThat(second.open(sealed, "c")).isEqualTo("kept");
    }

    @Test
    void a_configured_key_that_is_not_256_bits_stops_start_up() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> MasterKeys.load(Optional.of(shortKey), Path.of("unused")))
                .hasMessageContaining("mailroom.secret.key").hasMessageContaining("32");
    }
}
