package io.mailroom.host.config;


import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Mailroom's configuration, checked once at start-up: an invalid value stops start-up with a
 * message naming its key. Relative paths resolve against {@code mailroom.home} (the
 * installation directory the launcher sets; the working directory otherwise).
 */
public record MailroomConfig(Path home, Optional<String> dbUrl, String dbUser, String dbPassword, int httpPort,
                             Path dataDir, Path pluginsDir, Optional<String> secretKey, Optional<String> adminToken,
                             Duration pollFrequency, int maxEmailsPerPoll, long maxAttachmentSize, int retentionDays,
                             Set<String> disabledPlugins, OptionalInt metricsPort, String metricsBind,
                             long maxMessageSize, Duration scheduleMinInterval, int syncMaxConcurrent,
                             int syncMaxPerUser, boolean allowPrivateHosts, Duration syncSlice,
                             Optional<String> publicUrl, OAuthConfig oauth,
                             int outboxWorkers, Duration outboxPoll, Duration outboxRetryBase, Duration outboxLease,
                             Optional<String> notificationsMailbox, int processingWorkers, Duration processingSyncWait,
                             int loopPerSenderLimit, Duration loopWindow, Duration processingLease, String logFormat,
                             int housekeepingDays, String housekeepingCron,
                             int authFailuresLimit, Duration authFailuresWindow) {

    /** Every key Mailroom reads, with its default ({@code ""} when there is none). */
    public static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("mailroom.home", "."),
            Map.entry("mailroom.db.url", ""),
            Map.entry("mailroom.db.user", ""),
            Map.entry("mailroom.db.password", ""),
            Map.entry("mailroom.http.port", "8080"),
            Map.entry("mailroom.data.dir", "data"),
            Map.entry("mailroom.plugins.dir", "plugins"),
            Map.entry("mailroom.secret.key", ""),
            Map.entry("mailroom.admin.token", ""),
            Map.entry("mailroom.poll.frequency", "300"),
            Map.entry("mailroom.max.emails.per.poll", "500"),
            Map.entry("mailroom.max.attachment.size", "26214400"),
            Map.entry("mailroom.max.message.size", "52428800"),
            Map.entry("mailroom.retention.days", "0"),
            Map.entry("mailroom.plugins.disabled", ""),
            // A second listener serving only /metrics, without a token; empty = none.
            Map.entry("mailroom.metrics.port", ""),
            Map.entry("mailroom.metrics.bind", "127.0.0.1"),
            Map.entry("mailroom.schedule.min.interval", "60"),
            Map.entry("mailroom.sync.max.concurrent", "4"),
            Map.entry("mailroom.sync.max.per.user", "2"),
            Map.entry("mailroom.sources.allow.private.hosts", "false"),
            // A scheduled run stops after about this many seconds and goes on in a new run, so
            // a large import takes turns with the other mailboxes instead of holding a thread.
            Map.entry("mailroom.sync.slice", "60"),
            // Where browsers reach this server; OAuth redirect URIs start with it. Empty: http://localhost:<port>.
            Map.entry("mailroom.public.url", ""),
            // Outbound mail: attempts at once on this node (0: this node sends none), how often
            // the outbox is looked at when nothing woke it (ms), the first retry's wait (s,
            // doubling up to an hour), and how long an attempt's lease lasts (s).
            Map.entry("mailroom.outbox.workers", "2"),
            Map.entry("mailroom.outbox.poll.ms", "5000"),
            Map.entry("mailroom.outbox.retry.base", "60"),
            Map.entry("mailroom.outbox.lease", "900"),
            // The mailbox (id or address) owner notifications are emailed from; empty: API only.
            Map.entry("mailroom.notifications.mailbox", ""),
            // The processing chain (rules, sink, server post-actions) of stored mail: threads per
            // node running it (0: only syncs drain their own mailbox's), and how long a sync
            // waits for its mailbox's chains before its server actions (s).
            Map.entry("mailroom.processing.workers", "2"),
            Map.entry("mailroom.processing.sync.wait", "60"),
            // How long a node holds a message whose chain it runs (s): a node that dies leaves it
            // held that long. Keep it well above the longest chain (an action's SMTP or HTTP timeouts).
            Map.entry("mailroom.processing.lease", "600"),
            // Loop protection: at most this many automatic mails (auto-replies, forwards) per
            // sender and mailbox within the window (s).
            Map.entry("mailroom.loop.per-sender-limit", "1"),
            Map.entry("mailroom.loop.window", "14400"),
            // Log lines on standard error: text (one line a record) or json (one JSON object a line).
            Map.entry("mailroom.log.format", "text"),
            // Poll logs and skipped records older than this many days are deleted by the daily
            // housekeeping, whatever mailroom.retention.days says (0: kept forever).
            Map.entry("mailroom.housekeeping.days", "90"),
            // When the daily housekeeping (retention, then poll logs and skipped records) runs:
            // a Quartz cron in UTC, on one node of the cluster.
            Map.entry("mailroom.housekeeping.cron", "0 30 3 * * ?"),
            // Login throttling: an address that sends this many wrong tokens within the window (s)
            // gets 429 for a whole window, its tokens unchecked.
            Map.entry("mailroom.auth.failures.limit", "10"),
            Map.entry("mailroom.auth.failures.window", "60"));

    /**
     * The most syncs asked for through the API that run at once on a node: the pool has 16
     * connections, the scheduler's four threads and the API's own requests need theirs.
     */
    public static final int MAX_SYNC_SLOTS = 8;

    /** Reads the configuration file, the environment and system properties. */
    public static MailroomConfig load() {
        Map<String, String> env = System.getenv();
        Path home = Path.of(env.getOrDefault("MAILROOM_HOME", System.getProperty("mailroom.home", ".")));
        Path file = Path.of(env.getOrDefault("MAILROOM_CONFIG", home.resolve("conf/mailroom.properties").toString()));
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new ConfigException("mailroom.config", "cannot read " + file + ": " + e.getMessage());
            }
        }
        return from(ConfigKeys.merge(properties, env, System.getProperties()),
                OAuthConfig.of(properties, env, System.getProperties()));
    }

    /** Builds the configuration from {@code mailroom.*} keys; missing keys take their defaults. */
    public static MailroomConfig from(Map<String, String> given) {
        return from(given, OAuthConfig.of(given));
    }

    /**
     * As {@link #from(Map)}, with the OAuth providers' keys ({@code mailroom.oauth.*}) read apart:
     * they are checked against the loaded providers once the plugins start.
     */
    static MailroomConfig from(Map<String, String> given, OAuthConfig oauth) {
        Map<String, String> values = new HashMap<>(DEFAULTS);
        given.forEach((key, value) -> {
            if (key.startsWith(OAuthConfig.PREFIX)) {
                return;
            }
            if (key.startsWith("mailroom.") && !DEFAULTS.containsKey(key) && !key.equals("mailroom.config")) {
                throw new ConfigException(key, "unknown setting");
            }
            values.put(key, value);
        });
        ConfigReader read = new ConfigReader(values);
        Path home = read.path("mailroom.home", Path.of(".")).toAbsolutePath().normalize();
        return new MailroomConfig(home,
                read.optional("mailroom.db.url"),
                values.get("mailroom.db.user"),
                values.get("mailroom.db.password"),
                (int) read.number("mailroom.http.port", 0, 65535),
                read.path("mailroom.data.dir", home),
                read.path("mailroom.plugins.dir", home),
                read.optional("mailroom.secret.key"),
                read.optional("mailroom.admin.token"),
                Duration.ofSeconds(read.number("mailroom.poll.frequency", 10, 86_400)),
                (int) read.number("mailroom.max.emails.per.poll", MessagesPerPoll.MIN, MessagesPerPoll.MAX),
                read.number("mailroom.max.attachment.size", 0, Long.MAX_VALUE),
                (int) read.number("mailroom.retention.days", 0, 36_500),
                Arrays.stream(values.get("mailroom.plugins.disabled").split(","))
                        .map(String::trim).filter(id -> !id.isEmpty()).collect(Collectors.toUnmodifiableSet()),
                read.optional("mailroom.metrics.port").isEmpty() ? OptionalInt.empty()
                        : OptionalInt.of((int) read.number("mailroom.metrics.port", 0, 65535)),
                read.optional("mailroom.metrics.bind").orElseThrow(
                        () -> new ConfigException("mailroom.metrics.bind", "must not be empty")),
                read.number("mailroom.max.message.size", 1024, Long.MAX_VALUE - 1),
                Duration.ofSeconds(read.number("mailroom.schedule.min.interval", 1, 86_400)),
                (int) read.number("mailroom.sync.max.concurrent", 1, MAX_SYNC_SLOTS),
                (int) read.number("mailroom.sync.max.per.user", 1, MAX_SYNC_SLOTS),
                read.bool("mailroom.sources.allow.private.hosts"),
                Duration.ofSeconds(read.number("mailroom.sync.slice", 1, 86_400)),
                read.optional("mailroom.public.url").map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
                oauth,
                (int) read.number("mailroom.outbox.workers", 0, 32),
                Duration.ofMillis(read.number("mailroom.outbox.poll.ms", 10, 3_600_000)),
                Duration.ofSeconds(read.number("mailroom.outbox.retry.base", 1, 86_400)),
                Duration.ofSeconds(read.number("mailroom.outbox.lease", 1, 86_400)),
                read.optional("mailroom.notifications.mailbox"),
                (int) read.number("mailroom.processing.workers", 0, 32),
                Duration.ofSeconds(read.number("mailroom.processing.sync.wait", 0, 3_600)),
                (int) read.number("mailroom.loop.per-sender-limit", 1, 1_000),
                Duration.ofSeconds(read.number("mailroom.loop.window", 60, 30L * 86_400)),
                Duration.ofSeconds(read.number("mailroom.processing.lease", 1, 86_400)),
                read.choice("mailroom.log.format", "text", "json"),
                (int) read.number("mailroom.housekeeping.days", 0, 36_500),
                read.cron("mailroom.housekeeping.cron"),
                (int) read.number("mailroom.auth.failures.limit", 1, 1_000_000),
                Duration.ofSeconds(read.number("mailroom.auth.failures.window", 1, 86_400)));
    }

    /** Reads typed values and names the key when one is wrong. */
    private record ConfigReader(Map<String, String> values) {

        Optional<String> optional(String key) {
            return Optional.of(values.get(key)).filter(value -> !value.isBlank());
        }

        long number(String key, long min, long max) {
            String value = values.get(key);
            try {
                long number = Long.parseLong(value);
                if (number < min || number > max) {
                    throw new ConfigException(key, "must be between " + min + " and " + max + ", was " + value);
                }
                return number;
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "must be a whole number, was '" + value + "'");
            }
        }

        String choice(String key, String... allowed) {
            String value = values.get(key).strip().toLowerCase(java.util.Locale.ROOT);
            if (!Arrays.asList(allowed).contains(value)) {
                throw new ConfigException(key, "must be one of " + String.join(", ", allowed) + ", was '"
                        + values.get(key) + "'");
            }
            return value;
        }

        String cron(String key) {
            String value = values.get(key).strip();
            if (!org.quartz.CronExpression.isValidExpression(value)) {
                throw new ConfigException(key, "must be a Quartz cron expression like '0 30 3 * * ?', was '" + value + "'");
            }
            return value;
        }

        boolean bool(String key) {
            String value = values.get(key).strip().toLowerCase(java.util.Locale.ROOT);
            return switch (value) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigException(key, "must be true or false, was '" + values.get(key) + "'");
            };
        }

        Path path(String key, Path base) {
            String value = values.get(key);
            if (value.isBlank()) {
                throw new ConfigException(key, "must not be empty");
            }
            return base.resolve(value).toAbsolutePath().normalize();
        }
    }
}
