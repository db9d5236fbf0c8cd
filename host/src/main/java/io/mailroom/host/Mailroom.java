package io.mailroom.host;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mailroom.host.auth.AdminBootstrap;
import io.mailroom.host.auth.Users;
import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.http.ApiServer;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.ServiceRoutes;
import io.mailroom.host.http.UserRoutes;
import io.mailroom.host.mailboxes.MailboxRoutes;
import io.mailroom.host.messages.MessageRoutes;
import io.mailroom.host.schedule.MaintenanceRoutes;
import io.mailroom.host.schedule.SyncScheduler;
import io.mailroom.host.store.UserDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/**
 * A running Mailroom: the {@link MailroomCore}, the sync scheduler and the HTTP API on it.
 * Closing it stops the server, then the scheduler (waiting for running syncs), then the core.
 */
public final class Mailroom implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Mailroom.class);

    private final MailroomCore core;
    private final SyncScheduler scheduler;
    private final ApiServer server;

    private Mailroom(MailroomCore core, SyncScheduler scheduler, ApiServer server) {
        this.core = core;
        this.scheduler = scheduler;
        this.server = server;
    }

    /** Starts everything; {@code out} receives the first admin token when one is created. */
    public static Mailroom start(MailroomConfig config, PrintStream out) {
        MailroomCore core = MailroomCore.open(config);
        SyncScheduler scheduler = null;
        try {
            Jdbi jdbi = core.database().jdbi();
            scheduler = SyncScheduler.start(core.database().dataSource(), jdbi, core.sync(), core.maintenance(),
                    config.pollFrequency(), Clock.systemUTC());
            new AdminBootstrap(jdbi).run(config.adminToken(), out);
            PrometheusMeterRegistry metrics = newMetrics();
            ApiServer server = new ApiServer(new Authentication(jdbi.onDemand(UserDao.class)), metrics,
                    List.of(new ServiceRoutes(core.database()::isUp, metrics, core.plugins()),
                            new UserRoutes(new Users(jdbi), jdbi),
                            new MailboxRoutes(core.mailboxes(), core.connector(), core.sync(), scheduler,
                                    core.maintenance(), jdbi),
                            new MaintenanceRoutes(core.maintenance()),
                            new MessageRoutes(jdbi, core.reprocessing())));
            server.start(config.httpPort());
            LOG.info("Mailroom is listening on port {}", server.port());
            return new Mailroom(core, scheduler, server);
        } catch (RuntimeException e) {
            if (scheduler != null) {
                scheduler.close();
            }
            core.close();
            throw e;
        }
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

    public int port() {
        return server.port();
    }

    public MailroomCore core() {
        return core;
    }

    public ApiServer server() {
        return server;
    }

    public SyncScheduler scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                scheduler.close();
            } finally {
                core.close();
            }
        }
    }
}
