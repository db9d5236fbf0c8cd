package io.mailroom.plugins.pop3;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.source.ContentSpool;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** The context a host would give the plugin, with a clock a test can move. */
final class TestContext implements ExtensionContext {

    private Clock clock = Clock.systemUTC();
    /** A small memory limit, so that tests see messages spooled to files. */
    private final ContentSpool spool = new ContentSpool(Path.of(System.getProperty("java.io.tmpdir")), 64 * 1024);

    /** Moves the clock by {@code offset} from real time. */
    TestContext advancedBy(Duration offset) {
        clock = Clock.offset(Clock.systemUTC(), offset);
        return this;
    }

    TestContext at(Instant now) {
        clock = Clock.fixed(now, ZoneOffset.UTC);
        return this;
    }

    @Override
    public ContentSpool spool() {
        return spool;
    }

    @Override
    public String pluginId() {
        return "pop3";
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public HttpTransport http() {
        throw new UnsupportedOperationException("POP3 needs no HTTP");
    }

    @Override
    public System.Logger logger(Class<?> type) {
        return System.getLogger(type.getName());
    }
}
