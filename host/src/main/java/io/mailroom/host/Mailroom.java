package io.mailroom.host;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mailroom.host.directory.DirectoryRoutes;
import io.mailroom.host.filters.FilterPreview;
import io.mailroom.host.filters.FilterRoutes;
import io.mailroom.host.filters.IntakeSection;
import io.mailroom.host.mailboxes.MailboxSection;
import io.mailroom.host.auth.AdminBootstrap;
import io.mailroom.host.auth.Users;
import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.http.AdminPages;
import io.mailroom.host.http.ApiServer;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.FailedLogins;
import io.mailroom.host.http.MetricsListener;
import io.mailroom.host.http.PluginRouteDispatch;
import io.mailroom.host.http.ServiceRoutes;
import io.mailroom.host.http.UserRoutes;
import io.mailroom.host.mailboxes.MailboxRoutes;
import io.mailroom.host.mailboxes.SchedulePreviewRoutes;
import io.mailroom.host.mailboxes.SourceRoutes;
import io.mailroom.host.messages.MessageRoutes;
import io.mailroom.host.notifications.NotificationRoutes;
import io.mailroom.host.oauth.OAuthRoutes;
import io.mailroom.host.oauth.RefreshJob;
import io.mailroom.host.outbound.SendRoutes;
import io.mailroom.host.rules.RulePreview;
import io.mailroom.host.rules.RuleRoutes;
import io.mailroom.host.schedule.MaintenanceRoutes;
import io.mailroom.host.retention.HousekeepingRoutes;
import io.mailroom.host.schedule.ClusterTask;
import io.mailroom.host.stats.StatsRoutes;
import io.mailroom.host.templates.TemplateRoutes;
import io.mailroom.host.schedule.PushWatchers;
import io.mailroom.host.schedule.SyncScheduler;
import io.mailroom.host.mailboxes.SyncSlots;
import io.mailroom.host.auth.UserDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A running Mailroom: the {@link MailroomCore}, the sync scheduler and the HTTP API on it.
 * Closing it stops, in this order: the scheduler (no new syncs; waits for the running ones), the
 * push watchers, the HTTP server, then the core (plugins, the pool, the database), so nothing
 * still running meets a closed pool or a stopped database, and a stop logs no failures.
 */
public final class Mailroom implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Mailroom.class);

    private final MailroomCore core;
    private final SyncScheduler scheduler;
    private final PushWatchers push;
    private final ApiServer server;
    private final MetricsListener metricsListener;
    private final RefreshJob oauthRefresh;

    private Mailroom(MailroomCore core, SyncScheduler scheduler, PushWatchers push, ApiServer server,
                     MetricsListener metricsListener, RefreshJob oauthRefresh) {
        this.oauthRefresh = oauthRefresh;
        this.core = core;
        this.scheduler = scheduler;
        this.push = push;
        this.server = server;
        this.metricsListener = metricsListener;
    }

    /** Starts everything; {@code out} receives the first admin token when one is created. */
    public static Mailroom start(MailroomConfig config, PrintStream out) {
        MailroomCore core = MailroomCore.open(config);
        SyncScheduler scheduler = null;
        PushWatchers push = null;
        ApiServer server = null;
        MetricsListener metricsListener = null;
        RefreshJob oauthRefresh = null;
        try {
            Jdbi jdbi = core.database().jdbi();
            SyncSlots slots = new SyncSlots(config.syncMaxConcurrent(), config.syncMaxPerUser());
            scheduler = SyncScheduler.start(core.database().schedulerPool(), jdbi, core.sync(), core.maintenance(),
                    config.pollFrequency(), config.scheduleMinInterval(), slots, config.syncSlice(), Clock.systemUTC(),
                    List.of(new ClusterTask("housekeeping", config.housekeepingCron(), () -> core.housekeeping().run())));
            push = core.push().start();
            new AdminBootstrap(jdbi).run(config.adminToken(), out);
            PrometheusMeterRegistry metrics = core.metrics();
            core.mailboxMetrics().watchPushConnections(push::connections);
            server = new ApiServer(new Authentication(jdbi.onDemand(UserDao.class),
                    new FailedLogins(config.authFailuresLimit(), config.authFailuresWindow(), Clock.systemUTC())), metrics,
                    List.of(new ServiceRoutes(core.database()::isUp, metrics, core.mailboxMetrics()::refresh, core.plugins()),
                            new UserRoutes(new Users(jdbi), jdbi),
                            new MailboxRoutes(core.mailboxes(), core.connector(), core.sync(), scheduler,
                                    core.maintenance()::paused, jdbi, slots, core.folderList(),
                                    sections(core, jdbi), core.fetchSkipped()),
                            new SourceRoutes(core.plugins()),
                            new MaintenanceRoutes(core.maintenance()),
                            new HousekeepingRoutes(core.housekeeping(), config.retentionDays(), config.housekeepingDays()),
                            new MessageRoutes(jdbi, core.reprocessing(), core.parser()),
                            new NotificationRoutes(jdbi),
                            new OAuthRoutes(core.oauthProviders(), core.oauthConnect(), core.oauthTokens(),
                                    core.oauthProtocol(), core.mailboxes(), scheduler, core::publicUrl),
                            new SendRoutes(jdbi, core.outbound().sender()),
                            new TemplateRoutes(jdbi, core.templates()),
                            new DirectoryRoutes(jdbi),
                            new FilterRoutes(jdbi, core.mailboxes(), core.filterCompiler(), core.parser()),
                            new RuleRoutes(core.rules(), core.mailboxes(), new RulePreview(core.filterCompiler(),
                                    core.ruleActions(), new FilterPreview(jdbi, core.parser()))),
                            new SchedulePreviewRoutes(config.scheduleMinInterval(), Clock.systemUTC()),
                            new StatsRoutes(jdbi, Clock.systemUTC()),
                            new AdminPages(),
                            // last: the plugins' routes are what no host route matched
                            new PluginRouteDispatch(core.plugins().routes(), core.pluginContexts())));
            server.start(config.httpPort());
            core.listeningOn(server.port());
            oauthRefresh = new RefreshJob(jdbi, core.oauthTokens(), Clock.systemUTC()).start(Duration.ofHours(1));
            core.outbound().startWorker();
            core.webhooks().startWorker();
            core.startChainWorker();
            LOG.info("Mailroom is listening on port {}", server.port());
            if (config.metricsPort().isPresent()) {
                metricsListener = MetricsListener.start(config.metricsBind(), config.metricsPort().getAsInt(), metrics,
                        core.mailboxMetrics()::refresh);
                LOG.info("Metrics without a token on {}:{}", config.metricsBind(), metricsListener.port());
            }
            return new Mailroom(core, scheduler, push, server, metricsListener, oauthRefresh);
        } catch (RuntimeException e) {
            closeInOrder(oauthRefresh, scheduler, push, metricsListener, server, core);
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public MailroomCore core() {
        return core;
    }

    public ApiServer server() {
        return server;
    }

    /** The port of the separate metrics listener, when {@code mailroom.metrics.port} is set. */
    public java.util.OptionalInt metricsPort() {
        return metricsListener == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(metricsListener.port());
    }

    public SyncScheduler scheduler() {
        return scheduler;
    }

    /** Stops the background work, then taking requests, then the core. */
    @Override
    public void close() {
        // housekeeping first: a long run ends after its batch, so the scheduler's wait for running jobs is short
        closeInOrder(oauthRefresh, core.housekeeping(), scheduler, push, metricsListener, server, core);
    }

    /** Closes each one that is there, even when an earlier one fails; rethrows the first failure. */
    private static void closeInOrder(AutoCloseable... parts) {
        RuntimeException first = null;
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The parts of the mailbox resource other features keep: smtp (outbound), filter_query and the sender rules (filters). */
    private static List<MailboxSection> sections(MailroomCore core, Jdbi jdbi) {
        List<MailboxSection> sections = new java.util.ArrayList<>();
        sections.add(core.outbound().smtp());
        sections.addAll(IntakeSection.all(jdbi, core.filterCompiler()));
        sections.addAll(core.sinkSections());
        sections.add(new io.mailroom.host.mailboxes.CompanySection(jdbi));
        return sections;
    }
}
