package io.mailroom.testkit.context;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.source.ContentSpool;

import javax.net.SocketFactory;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The context a host would hand a plugin, for a plugin's own tests: the system clock, the
 * plain JDK sockets (a test on loopback needs no address rule), no HTTP, and the JVM's temp
 * directory as scratch space, unless a test gives others.
 */
public final class FakeContext implements ExtensionContext {

    private final String pluginId;
    private Clock clock = Clock.systemUTC();
    private SocketFactory sockets = SocketFactory.getDefault();
    private Path scratch = Path.of(System.getProperty("java.io.tmpdir"));
    private ContentSpool spool;

    public FakeContext(String pluginId) {
        this.pluginId = pluginId;
    }

    /** This context with {@code clock} as the plugin's clock. */
    public FakeContext clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** This context with {@code sockets} as the only way out, as the host's guarded sockets are. */
    public FakeContext sockets(SocketFactory sockets) {
        this.sockets = sockets;
        return this;
    }

    /** This context with {@code scratch} as the plugin's scratch directory (and its spool's, unless one is given). */
    public FakeContext scratchDirectory(Path scratch) {
        this.scratch = scratch;
        return this;
    }

    /** This context with {@code spool} as the host's spool (e.g. a small memory limit, to see messages spooled). */
    public FakeContext spool(ContentSpool spool) {
        this.spool = spool;
        return this;
    }

    @Override
    public Path scratchDirectory() {
        return scratch;
    }

    @Override
    public ContentSpool spool() {
        return spool != null ? spool : new ContentSpool(scratch, ContentSpool.DEFAULT_MEMORY_LIMIT);
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public HttpTransport http() {
        throw new UnsupportedOperationException("this test gives the plugin no HTTP");
    }

    @Override
    public System.Logger logger(Class<?> type) {
        return System.getLogger(type.getName());
    }

    @Override
    public SocketFactory sockets() {
        return sockets;
    }
}
