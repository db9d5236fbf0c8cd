package io.mailroom.testkit.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogSecretScanTest {

    private static final String TOKEN = "mr_test-planted-token-0123456789";

    @Test
    void a_secret_planted_in_a_test_log_fails_the_scan_with_file_line_and_the_secret_masked(@TempDir Path root) throws Exception {
        Path reports = Files.createDirectories(root.resolve("host/target/surefire-reports"));
        Files.writeString(reports.resolve("io.mailroom.SomeTest-output.txt"),
                "12:00:00 INFO starting\n12:00:01 WARN login with Bearer " + TOKEN + " failed\n");
        Files.writeString(root.resolve("host/target").resolve(TestSecrets.FILE), TOKEN + "\n");
        Path serveLogs = Files.createDirectories(root.resolve("plugins/pop3/target/serve-logs"));
        Files.writeString(serveLogs.resolve("serve-1.log"), "ok\nsmtp login smtp-s3cret refused\n");
        Files.writeString(reports.resolve("io.mailroom.SomeTest.txt"), "not a log: " + TOKEN + "\n");

        assertThatThrownBy(() -> LogSecretScan.main(new String[]{root.toString()}))
                .hasMessageContaining("SomeTest-output.txt:2: mr******")
                .hasMessageContaining("serve-1.log:2: sm******")
                .hasMessageNotContaining(TOKEN).hasMessageNotContaining("smtp-s3cret")
                .hasMessageNotContaining("SomeTest.txt");
    }

    @Test
    void clean_logs_pass(@TempDir Path root) throws Exception {
        Path reports = Files.createDirectories(root.resolve("dist/target/failsafe-reports"));
        Files.writeString(reports.resolve("io.mailroom.SomeIT-output.txt"), "a token was refused (mr_test-***)\n");
        Files.writeString(root.resolve("dist/target").resolve(TestSecrets.FILE), TOKEN + "\npw\n");

        LogSecretScan.main(new String[]{root.toString()});
    }

    @Test
    void a_secret_is_found_at_any_position_and_short_ones_are_not_looked_for() {
        LogSecretScan scan = new LogSecretScan(Set.of("abcdefgh1", "abcdxyz1", "pw", "secret"));

        assertThat(scan.find("xxabcdxyz1")).isEqualTo("abcdxyz1");
        assertThat(scan.find("abcdefgh")).isNull();
        assertThat(scan.find("password pw")).isNull();
        assertThat(scan.find("the secrets are sealed")).as("a short word is no secret to look for").isNull();
        assertThat(scan.scan(List.of())).isEmpty();
    }
}
