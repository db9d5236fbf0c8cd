package io.mailroom.host.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mailroom.host.TestMailroom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample alert rules shipped in dist ({@code prometheus/mailroom-alerts.yml}) name only
 * metrics a running host serves: each series an {@code expr} reads is in {@code /metrics} of a
 * host with one mailbox, or is Prometheus' own ({@code up}) or the blackbox exporter's.
 */
class AlertRulesTest {

    static final Path RULES = Path.of("../dist/src/main/prometheus/mailroom-alerts.yml");
    /** Series that Prometheus ({@code up}) and the blackbox exporter's /health probe make, not Mailroom. */
    private static final Set<String> NOT_MAILROOMS = Set.of("up", "probe_success");
    private static final Set<String> PROMQL_WORDS = Set.of("max", "min", "sum", "avg", "count", "by", "on", "and",
            "or", "unless", "delta", "increase", "rate", "ignoring", "without", "bool");
    /** A name in an expression, after label matchers, ranges and strings are taken out. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    @TempDir
    Path dir;

    @Test
    void every_rule_is_complete_and_every_metric_it_reads_is_served() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(RULES));
        List<JsonNode> all = new ArrayList<>();
        rules.path("groups").forEach(group -> group.path("rules").forEach(all::add));
        assertThat(all).as("rules in " + RULES).hasSizeGreaterThan(8);
        all.forEach(rule -> assertThat(List.of(rule.path("alert").asText(), rule.path("expr").asText(),
                rule.path("labels").path("severity").asText(), rule.path("annotations").path("summary").asText()))
                .as("alert, expr, severity and summary of " + rule).noneMatch(String::isBlank));

        Set<String> served;
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.metrics.port", "0"))) {
            mailroom.mailroom().core().database().jdbi().useHandle(handle -> {
                handle.execute("INSERT INTO mailboxes (name, email, source, status, last_success_at)"
                        + " VALUES ('support', 'support@example.test', 'imap', 'auth_failed', now())");
            });
            int port = mailroom.mailroom().metricsPort().orElseThrow();
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            served = new TreeSet<>(scrape.body().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                    .map(line -> line.split("[{ ]", 2)[0]).toList());
            assertThat(scrape.body()).contains("mailroom_mailbox_status{mailbox=\"1\",status=\"auth_failed\"} 1.0")
                    .contains("mailroom_outbox_messages{state=\"failed\"} 0.0").contains("mailroom_database_up 1.0");
        }
        Set<String> missing = new TreeSet<>();
        for (JsonNode rule : all) {
            for (String name : seriesIn(rule.path("expr").asText())) {
                if (!served.contains(name) && !NOT_MAILROOMS.contains(name)) {
                    missing.add(rule.path("alert").asText() + ": " + name);
                }
            }
        }
        assertThat(missing).as("metrics the rules read that /metrics does not serve").isEmpty();
    }

    @Test
    void the_names_read_from_an_expression_are_its_series_not_its_labels_or_functions() {
        assertThat(seriesIn("(max by (mailbox) (mailroom_a_seconds{status=\"x\"}) > 3 * 300) unless on (mailbox)"
                + " (max(delta(mailroom_b[1h])) == 1) and up{job=\"mailroom\"} == 0"))
                .containsExactlyInAnyOrder("mailroom_a_seconds", "mailroom_b", "up");
    }

    private static Set<String> seriesIn(String expr) {
        String bare = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|on|without|ignoring)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(bare);
        while (name.find()) {
            if (!PROMQL_WORDS.contains(name.group())) {
                names.add(name.group());
            }
        }
        return names;
    }
}
