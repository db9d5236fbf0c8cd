package io.mailroom.testkit.context;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.directory.Directory;
import io.mailroom.api.mailbox.Mailboxes;
import io.mailroom.api.mailbox.Notifier;
import io.mailroom.api.outbound.OutboundMail;
import io.mailroom.api.outbound.Templates;
import io.mailroom.api.source.ContentSpool;

import javax.net.SocketFactory;
import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The context a host would hand a plugin, for a plugin's own tests: the system clock, the
 * plain JDK sockets (a test on loopback needs no address rule), no HTTP, and the JVM's temp
 * directory as scratch space, unless a test gives others. The host's other services (database,
 * directory, outbound mail, templates, mailboxes, notifications) are refused until a test gives
 * them: {@link io.mailroom.testkit.database.PluginTestDatabase} for the database, and the
 * in-memory {@link FakeDirectory}, {@link RecordingOutboundMail}, {@link FakeTemplates},
 * {@link FakeMailboxes}, {@link RecordingNotifier} and {@link LoopbackHttp} for the rest.
 */
public final class FakeContext implements ExtensionContext {

    private final String pluginId;
    private Clock clock = Clock.systemUTC();
    private SocketFactory sockets = SocketFactory.getDefault();
    private Path scratch = Path.of(System.getProperty("java.io.tmpdir"));
    private ContentSpool spool;
    private HttpTransport http;
    private DataSource database;
    private Directory directory;
    private OutboundMail outboundMail;
    private Templates templates;
    private Mailboxes mailboxes;
    private Notifier notifier;

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

    /** This context with {@code http} as the plugin's HTTP ({@link LoopbackHttp} for a test server). */
    public FakeContext http(HttpTransport http) {
        this.http = http;
        return this;
    }

    /** This context with {@code database} as the plugin's own database. */
    public FakeContext database(DataSource database) {
        this.database = database;
        return this;
    }

    public FakeContext directory(Directory directory) {
        this.directory = directory;
        return this;
    }

    public FakeContext outboundMail(OutboundMail outboundMail) {
        this.outboundMail = outboundMail;
        return this;
    }

    public FakeContext templates(Templates templates) {
        this.templates = templates;
        return this;
    }

    public FakeContext mailboxes(Mailboxes mailboxes) {
        this.mailboxes = mailboxes;
        return this;
    }

    public FakeContext notifier(Notifier notifier) {
        this.notifier = notifier;
        return this;
    }

    @Override
    public DataSource database() {
        return given(database, "database");
    }

    @Override
    public Directory directory() {
        return given(directory, "directory");
    }

    @Override
    public OutboundMail outboundMail() {
        return given(outboundMail, "outbound mail");
    }

    @Override
    public Templates templates() {
        return given(templates, "templates");
    }

    @Override
    public Mailboxes mailboxes() {
        return given(mailboxes, "mailboxes");
    }

    @Override
    public Notifier notifier() {
        return given(notifier, "notifications");
    }

    private static <T> T given(T service, String what) {
        if (service == null) {
            throw new UnsupportedOperationException("this test gives the plugin no " + what);
        }
        return service;
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
        return given(http, "HTTP");
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
