package io.mailroom.host;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mailroom.host.directory.HostDirectory;
import io.mailroom.host.filters.FilterCompiler;
import io.mailroom.host.filters.FilterOperators;
import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.health.MailboxMetrics;
import io.mailroom.host.mailboxes.MailboxConnector;
import io.mailroom.host.mailboxes.Mailboxes;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.network.PrivateAddressPolicy;
import io.mailroom.host.notifications.Notifications;
import io.mailroom.host.mime.Classifier;
import io.mailroom.host.pipeline.AssignThread;
import io.mailroom.host.pipeline.BatchCommit;
import io.mailroom.host.pipeline.ChainWorker;
import io.mailroom.host.pipeline.LoopGuard;
import io.mailroom.host.pipeline.MessageViews;
import io.mailroom.host.pipeline.PluginChainExtensions;
import io.mailroom.host.pipeline.ProcessingChain;
import io.mailroom.host.mailboxes.MailboxSection;
import io.mailroom.host.mailboxes.SinkSection;
import io.mailroom.host.rules.RuleActions;
import io.mailroom.host.rules.RuleBook;
import io.mailroom.host.rules.actions.BuiltInActions;
import io.mailroom.host.outbound.OutboxTiming;
import io.mailroom.host.outbound.Outbound;
import io.mailroom.host.pipeline.FolderList;
import io.mailroom.host.oauth.OAuthConnect;
import io.mailroom.host.oauth.OAuthProviders;
import io.mailroom.host.oauth.OAuthTokens;
import io.mailroom.host.oauth.StandardOAuthProtocol;
import io.mailroom.host.plugins.JdkHttpTransport;
import io.mailroom.host.pipeline.FolderSync;
import io.mailroom.host.pipeline.IngestMessage;
import io.mailroom.host.pipeline.MailboxSync;
import io.mailroom.host.pipeline.PlainDrain;
import io.mailroom.host.pipeline.PostActionRunner;
import io.mailroom.host.pipeline.FetchSkipped;
import io.mailroom.host.pipeline.Reprocessing;
import io.mailroom.host.pipeline.StoreBatch;
import io.mailroom.host.pipeline.TakeMessages;
import io.mailroom.host.pipeline.SyncStages;
import io.mailroom.host.pipeline.ThreadBatch;
import io.mailroom.host.plugins.PluginContexts;
import io.mailroom.host.plugins.PluginDatabases;
import io.mailroom.host.rules.Rules;
import io.mailroom.host.plugins.PluginHost;
import io.mailroom.host.plugins.PluginRouteTable;
import io.mailroom.host.http.OpenApiDocument;
import io.mailroom.host.mailboxes.MailboxLookups;
import io.mailroom.host.notifications.PluginNotifier;
import io.mailroom.host.templates.PluginTemplates;
import io.mailroom.host.plugins.ScratchSpace;
import io.mailroom.host.retention.Housekeeping;
import io.mailroom.host.schedule.Maintenance;
import io.mailroom.host.schedule.PushWatchers;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.secrets.SealedSettings;
import io.mailroom.host.secrets.SecretSealer;
import io.mailroom.host.store.Database;
import io.mailroom.host.templates.TemplateRenderer;
import io.mailroom.host.webhooks.WebhookTiming;
import io.mailroom.host.webhooks.Webhooks;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Mailroom without its HTTP server: the database, the plugins and the services built on them,
 * wired by hand. The server ({@link Mailroom}) and the commands that work on mailboxes use it.
 */
public final class MailroomCore implements AutoCloseable {

    private final Database database;
    private final PluginHost plugins;
    private final PluginDatabases pluginDatabases;
    private final PluginContexts pluginContexts;
    private final MailboxConnector connector;
    private final FilterCompiler filterCompiler;
    private final Mailboxes mailboxes;
    private final MailboxSync sync;
    private final Reprocessing reprocessing;
    private final FetchSkipped fetchSkipped;
    private final MessageParser parser;
    private final PrometheusMeterRegistry metrics;
    private final MailboxMetrics mailboxMetrics;
    private final Maintenance maintenance;
    private final PushWatchers push;
    private final FolderList folderList;
    private final TemplateRenderer templates;
    private final Outbound outbound;
    private final Notifications notifications;
    private final RuleActions ruleActions;
    private final RuleBook ruleBook;
    private final Rules rules;
    private final Webhooks webhooks;
    private final BuiltInActions builtInActions;
    /** Hashing and parsing of new mail, on every core, for all syncs of this node. */
    private final ExecutorService parsers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
            Thread.ofPlatform().name("mailroom-parse-", 0).daemon().factory());
    private final OAuthProviders oauthProviders;
    private final OAuthTokens oauthTokens;
    private final OAuthConnect oauthConnect;
    private final StandardOAuthProtocol oauthProtocol;
    private final String configuredPublicUrl;
    private final ProcessingChain chain;
    private final ChainWorker chainWorker;
    private final SealedSettings sealed;
    private final Housekeeping housekeeping;
    private volatile int listeningPort;

    private MailroomCore(Database database, PluginHost plugins, PluginDatabases pluginDatabases, MailroomConfig config) {
        this.database = database;
        this.plugins = plugins;
        this.pluginDatabases = pluginDatabases;
        Clock clock = Clock.systemUTC();
        SecretSealer sealer = new SecretSealer(MasterKeys.load(config.secretKey(), config.dataDir()));
        SealedSettings sealed = new SealedSettings(sealer);
        this.sealed = sealed;
        this.parser = new MessageParser(config.maxAttachmentSize());
        PrivateAddressPolicy addresses = new PrivateAddressPolicy(config.allowPrivateHosts());
        this.listeningPort = config.httpPort();
        this.configuredPublicUrl = config.publicUrl().orElse(null);
        this.oauthProtocol = new StandardOAuthProtocol(new JdkHttpTransport(addresses), clock);
        this.oauthProviders = new OAuthProviders(database.jdbi(), plugins, sealed, config.oauth(), this::publicUrl);
        oauthProviders.requireKnownConfiguration();
        this.oauthTokens = new OAuthTokens(database.jdbi(), sealer, oauthProviders, oauthProtocol, clock);
        this.templates = new TemplateRenderer();
        this.outbound = new Outbound(database.jdbi(), sealer, addresses, templates, parser, clock, config.maxAttachmentSize(),
                config.maxMessageSize(), new OutboxTiming(config.outboxWorkers(), config.outboxPoll(),
                config.outboxRetryBase(), config.outboxLease()), oauthTokens,
                mailbox -> connector().connect(mailbox)); // copies to Sent; the connector is built just below
        this.notifications = new Notifications(database.jdbi(),
                outbound.notificationMail(config.notificationsMailbox()));
        // what every plugin's extensions are handed (ExtensionContext), whoever calls them
        this.pluginContexts = new PluginContexts(clock, addresses, ScratchSpace.open(config.dataDir()),
                new HostDirectory(database.jdbi()), outbound.mail(), new MailboxLookups(database.jdbi()),
                new PluginNotifier(notifications), new PluginTemplates(database.jdbi(), templates), pluginDatabases);
        this.connector = new MailboxConnector(plugins, sealed, addresses, oauthTokens, pluginContexts);
        this.metrics = newMetrics();
        this.mailboxMetrics = new MailboxMetrics(database.jdbi(), metrics, clock);
        this.maintenance = new Maintenance(database.jdbi());
        this.folderList = new FolderList(database.jdbi());
        // the stages of a sync, built once: a stage gets the others it calls through its constructor
        SyncStages stages = new SyncStages(metrics);
        Classifier classifier = new Classifier();
        IngestMessage ingest = new IngestMessage(parser, classifier, new AssignThread(), clock);
        this.filterCompiler = new FilterCompiler(new FilterOperators(plugins));
        BatchCommit batches = new BatchCommit(database.jdbi(), ingest, new StoreBatch(ingest, new ThreadBatch()), parsers,
                config.maxMessageSize(), stages, new TakeMessages(database.jdbi(), filterCompiler, classifier));
        PostActionRunner postActions = new PostActionRunner(database.jdbi(), clock);
        // webhook deliveries run beside the outbox, with its settings: a node that sends no mail posts no webhooks
        this.webhooks = new Webhooks(database.jdbi(), sealer, new JdkHttpTransport(addresses), clock,
                new WebhookTiming(config.outboxWorkers() > 0, config.outboxPoll(), config.outboxRetryBase(), 12));
        this.builtInActions = new BuiltInActions(database.jdbi(), templates, webhooks.queue(), addresses,
                sink -> plugins.extension(io.mailroom.api.sink.TicketSink.class, sink).isPresent());
        this.ruleActions = new RuleActions(builtInActions.all(), plugins);
        this.ruleBook = new RuleBook(database.jdbi(), filterCompiler, sealer);
        // the processing chain of stored mail: loop protection, the rules of the RuleBook with the
        // built-in and plugins' actions, the mailbox's sink, then the server post-actions
        this.chain = new ProcessingChain(database.jdbi(), new MessageViews(database.jdbi(), parser),
                new LoopGuard(database.jdbi(), config.loopPerSenderLimit(), config.loopWindow(), clock),
                ruleBook::rulesFor, new PluginChainExtensions(ruleActions, plugins, pluginContexts::forPlugin),
                new PlainDrain(database.jdbi(), clock), sealed, clock, config.processingLease());
        this.chainWorker = new ChainWorker(chain, config.processingWorkers(), java.time.Duration.ofMillis(500));
        this.sync = new MailboxSync(database, connector, folderList, new FolderSync(database.jdbi(), batches, postActions,
                maintenance::paused, clock, config.maxMessageSize(), stages), postActions,
                notifications, mailboxMetrics, maintenance::paused, clock, chain, config.processingSyncWait());
        this.push = new PushWatchers(database.jdbi(), connector, sync, config.syncSlice());
        this.mailboxes = new Mailboxes(database.jdbi(), plugins, sealed, config.maxEmailsPerPoll(),
                config.scheduleMinInterval(), push, oauthProviders::unavailable);
        this.oauthConnect = new OAuthConnect(database.jdbi(), oauthProviders, oauthTokens, oauthProtocol, mailboxes,
                outbound.smtp(), sealer, clock);
        this.reprocessing = new Reprocessing(database.jdbi(), parser, ingest, classifier, chain);
        this.fetchSkipped = new FetchSkipped(database, connector, ingest, batches, config.maxMessageSize());
        this.rules = new Rules(database.jdbi(), mailboxes, filterCompiler, ruleActions, sealer);
        this.housekeeping = new Housekeeping(database.jdbi(), config.retentionDays(), config.housekeepingDays(),
                clock, metrics);
    }

    /**
     * Opens the database and starts the plugins; each plugin that owns tables has its schema
     * migrated as it starts (a failure fails that plugin, not the host).
     */
    public static MailroomCore open(MailroomConfig config) {
        Database database = Database.open(config);
        PluginDatabases pluginDatabases = new PluginDatabases(database::schemaPool);
        PluginHost plugins = null;
        try {
            // the host's routes, as its OpenAPI document lists them: no plugin may serve one
            plugins = new PluginHost(config.pluginsDir(), config.disabledPlugins(), pluginDatabases,
                    new PluginRouteTable(OpenApiDocument.load().hostRoutes()));
            plugins.start();
            return new MailroomCore(database, plugins, pluginDatabases, config);
        } catch (RuntimeException e) {
            if (plugins != null) {
                plugins.close();
            }
            pluginDatabases.close();
            database.close();
            throw e;
        }
    }

    /** Where browsers reach this server: {@code mailroom.public.url}, or http://localhost:<port>. */
    public String publicUrl() {
        return configuredPublicUrl != null ? configuredPublicUrl : "http://localhost:" + listeningPort;
    }

    /** The port the HTTP server listens on, once it does (port 0 in the configuration picks one). */
    public void listeningOn(int port) {
        this.listeningPort = port;
    }

    public OAuthProviders oauthProviders() {
        return oauthProviders;
    }

    public OAuthTokens oauthTokens() {
        return oauthTokens;
    }

    public OAuthConnect oauthConnect() {
        return oauthConnect;
    }

    public StandardOAuthProtocol oauthProtocol() {
        return oauthProtocol;
    }

    public Database database() {
        return database;
    }

    public PluginHost plugins() {
        return plugins;
    }

    /** The contexts plugins' extensions are handed. */
    public PluginContexts pluginContexts() {
        return pluginContexts;
    }

    /** Compiles filters with the built-in operators and those of the started plugins. */
    public FilterCompiler filterCompiler() {
        return filterCompiler;
    }

    public MailboxConnector connector() {
        return connector;
    }

    public Mailboxes mailboxes() {
        return mailboxes;
    }

    public MailboxSync sync() {
        return sync;
    }

    /** The push watchers: told of every mailbox change; they watch only once {@link Mailroom} starts them. */
    public PushWatchers push() {
        return push;
    }

    /** Re-reads a mailbox's folder list from its server. */
    public FolderList folderList() {
        return folderList;
    }

    /** The processing chain of stored mail (rules, sink, server post-actions). */
    public ProcessingChain processing() {
        return chain;
    }

    /** Starts the threads that run waiting chains; the server does, a command line run does not. */
    public void startChainWorker() {
        chainWorker.start();
    }

    /** The mailbox fields sink, sink_settings and sink_error. */
    public java.util.List<MailboxSection> sinkSections() {
        return SinkSection.all(database.jdbi(), plugins, sealed);
    }

    public Reprocessing reprocessing() {
        return reprocessing;
    }

    public FetchSkipped fetchSkipped() {
        return fetchSkipped;
    }

    /** The one parser: the pipeline's, and the one downloads read attachments again with. */
    public MessageParser parser() {
        return parser;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public MailboxMetrics mailboxMetrics() {
        return mailboxMetrics;
    }

    private static PrometheusMeterRegistry newMetrics() {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        return metrics;
    }

    /** Outbound mail: SMTP settings, sending, the outbox (its worker starts with the server). */
    public Outbound outbound() {
        return outbound;
    }

    /** Owner notifications (stored, and emailed when a system mailbox is configured). */
    public Notifications notifications() {
        return notifications;
    }

    public TemplateRenderer templates() {
        return templates;
    }

    /** Rule actions by id: the built-ins, then the started plugins'. */
    public RuleActions ruleActions() {
        return ruleActions;
    }

    /** The rules that apply to a mailbox, as the processing chain runs them. */
    public RuleBook ruleBook() {
        return ruleBook;
    }

    /** Rules as the API manages them. */
    public Rules rules() {
        return rules;
    }

    /** Webhook deliveries: the queue the {@code webhook} action writes, and this node's worker (started with the server). */
    public Webhooks webhooks() {
        return webhooks;
    }

    /** The rule actions Mailroom ships ({@code auto_reply}, {@code forward}, {@code tag}, … {@code webhook}). */
    public BuiltInActions builtInActions() {
        return builtInActions;
    }

    /** Retention and housekeeping: the daily run (scheduled with the server) and the one an operator asks for. */
    public Housekeeping housekeeping() {
        return housekeeping;
    }

    /** The cluster-wide maintenance pause. */
    public Maintenance maintenance() {
        return maintenance;
    }

    @Override
    public void close() {
        try {
            chainWorker.close();
            webhooks.close();
            outbound.close();
            plugins.close();
            pluginDatabases.close();
        } finally {
            parsers.shutdownNow();
            database.close();
        }
    }
}
