package io.mailroom.host.mailboxes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mailroom.api.source.FolderInfo;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.http.Authentication;
import io.mailroom.host.http.Page;
import io.mailroom.host.http.PageRequest;
import io.mailroom.host.http.PathIds;
import io.mailroom.host.http.RouteGroup;
import io.mailroom.host.network.ShownError;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code /api/mailboxes}: CRUD, clone, test, folders, polls and sync. Every change of a mailbox
 * is passed on to the scheduler, which keeps the mailbox's job in step.
 */
public final class MailboxRoutes implements RouteGroup {

    private final Mailboxes mailboxes;
    private final MailboxConnector connector;
    private final SyncNow sync;
    private final SyncSchedule scheduler;
    private final BooleanSupplier paused;
    private final Jdbi jdbi;
    private final FolderRefresh folderList;
    private final SyncSlots slots;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final List<MailboxSection> sections;
    private final TakeSkipped takeSkipped;

    /** {@code paused} tells whether maintenance paused syncing (POST /api/maintenance). */
    public MailboxRoutes(Mailboxes mailboxes, MailboxConnector connector, SyncNow sync, SyncSchedule scheduler,
                         BooleanSupplier paused, Jdbi jdbi, SyncSlots slots, FolderRefresh folderList,
                         List<MailboxSection> sections, TakeSkipped takeSkipped) {
        this.takeSkipped = takeSkipped;
        this.sections = List.copyOf(sections);
        this.slots = slots;
        this.mailboxes = mailboxes;
        this.connector = connector;
        this.sync = sync;
        this.scheduler = scheduler;
        this.paused = paused;
        this.jdbi = jdbi;
        this.folderList = folderList;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/mailboxes", ctx -> {
            Long viewer = Mailboxes.viewer(Authentication.caller(ctx));
            PageRequest page = PageRequest.from(ctx);
            MailboxDao dao = jdbi.onDemand(MailboxDao.class);
            Page<Mailbox> rows = page.page(dao.page(viewer, page.afterId(), page.fetchSize()), Mailbox::id, dao.count(viewer));
            ctx.json(new Page<>(rows.items().stream().map(this::view).toList(), rows.nextCursor(), rows.total()));
        });
        routes.post("/api/mailboxes", ctx -> {
            MailboxInput input = ctx.bodyAsClass(MailboxInput.class);
            connector.requireAllowedHost(input.settings());
            checkSections(input);
            Mailbox created = mailboxes.create(Authentication.caller(ctx), input, scheduler);
            saveSections(created, input);
            refreshFoldersLater(created);
            ctx.status(201).json(view(created));
        });
        routes.get("/api/mailboxes/{id}", ctx -> ctx.json(view(visible(ctx))));
        routes.put("/api/mailboxes/{id}", ctx -> {
            MailboxInput input = ctx.bodyAsClass(MailboxInput.class);
            connector.requireAllowedHost(input.settings());
            checkSections(input);
            Mailbox changed = mailboxes.update(Authentication.caller(ctx), PathIds.id(ctx), input, scheduler);
            saveSections(changed, input);
            if (input.settings() != null || input.source() != null) {
                refreshFoldersLater(changed);
            }
            ctx.json(view(changed));
        });
        routes.delete("/api/mailboxes/{id}", ctx -> {
            mailboxes.delete(Authentication.caller(ctx), PathIds.id(ctx), scheduler);
            ctx.status(204);
        });
        routes.post("/api/mailboxes/{id}/clone", ctx -> {
            MailboxInput overrides = ctx.body().isBlank() ? null : ctx.bodyAsClass(MailboxInput.class);
            if (overrides != null) {
                connector.requireAllowedHost(overrides.settings());
            }
            Mailbox copy = mailboxes.copy(Authentication.caller(ctx), PathIds.id(ctx), overrides, scheduler);
            ctx.status(201).json(view(copy));
        });
        routes.post("/api/mailboxes/{id}/test", ctx -> ctx.json(test(visible(ctx))));
        routes.get("/api/mailboxes/{id}/folders", ctx -> {
            Mailbox mailbox = visible(ctx);
            Set<String> enabled = Set.copyOf(mailbox.folders());
            List<Map<String, Object>> folders = jdbi.onDemand(FolderDao.class).forMailbox(mailbox.id()).stream()
                    .map(folder -> folderView(folder, enabled.contains(folder.name()))).toList();
            ctx.json(PageRequest.from(ctx).slice(folders));
        });
        routes.get("/api/mailboxes/{id}/polls", ctx -> {
            Mailbox mailbox = visible(ctx);
            PageRequest page = PageRequest.from(ctx);
            PollDao polls = jdbi.onDemand(PollDao.class);
            // Newest first: the cursor is the id the page continues below.
            List<Poll> rows = polls.newestFirst(mailbox.id(), page.afterId(), page.fetchSize());
            ctx.json(page.page(rows, Poll::id, polls.count(mailbox.id())));
        });
        routes.get("/api/mailboxes/{id}/skipped", ctx -> {
            // messages left on the server on purpose (too big, before the window, not taken), with the reason
            Mailbox mailbox = visible(ctx);
            PageRequest page = PageRequest.from(ctx);
            SkippedDao skipped = jdbi.onDemand(SkippedDao.class);
            Page<SkippedDao.Skipped> rows = page.page(skipped.page(mailbox.id(), page.afterId(), page.fetchSize()),
                    SkippedDao.Skipped::id, skipped.count(mailbox.id()));
            ctx.json(new Page<>(rows.items().stream().map(MailboxRoutes::skippedView).toList(), rows.nextCursor(),
                    rows.total()));
        });
        routes.post("/api/mailboxes/{id}/skipped/{key}/take", ctx -> {
            Mailbox mailbox = visible(ctx);
            TakeSkipped.Taken taken = takeSkipped.take(mailbox, skippedAt(mailbox, ctx.pathParam("key"),
                    ctx.queryParam("folder")));
            ctx.json(Map.of("status", taken.status(), taken.status().equals("stored") ? "message_id" : "quarantine_id",
                    taken.id()));
        });
        routes.get("/api/mailboxes/{id}/polls/{poll_id}", ctx -> {
            Mailbox mailbox = visible(ctx);
            long pollId = pollId(ctx);
            ctx.json(jdbi.onDemand(PollDao.class).find(pollId).filter(poll -> poll.mailboxId() == mailbox.id())
                    .orElseThrow(() -> ApiException.notFound("poll " + pollId)));
        });
        routes.post("/api/mailboxes/{id}/sync", this::syncNow);
    }

    private void syncNow(Context ctx) {
        Mailbox mailbox = visible(ctx);
        if (!mailbox.enabled()) {
            throw Mailboxes.disabled(mailbox);
        }
        if (paused.getAsBoolean()) {
            throw new ApiException(409, "paused", "syncing is paused for maintenance (POST /api/maintenance)", Map.of());
        }
        if ("true".equals(ctx.queryParam("wait"))) {
            Optional<SyncSlots.Slot> slot = slots.tryTake(mailbox.ownerUserId());
            if (slot.isEmpty()) {
                queue(ctx, mailbox);
                return;
            }
            try (SyncSlots.Slot held = slot.get()) {
                Poll poll = sync.run(mailbox.id()).orElseThrow(() -> running(mailbox));
                ctx.json(poll);
            }
        } else {
            // Through the clustered scheduler: any node may run it, and never beside a scheduled run.
            mailboxes.whileEnabled(mailbox.id(), scheduler::runNow);
            ctx.status(202).json(Map.of("status", "accepted", "mailbox_id", mailbox.id(),
                    "job_id", scheduler.jobId(mailbox.id())));
        }
    }

    /**
     * The sync bounds are full: the sync is queued as a poll with status {@code queued} and run
     * by the scheduler once a slot is free, so no request thread waits with a connection. A
     * mailbox has at most one queued sync; asking again answers the same poll.
     */
    private void queue(Context ctx, Mailbox mailbox) {
        PollDao polls = jdbi.onDemand(PollDao.class);
        Optional<Long> fresh = polls.queue(mailbox.id());
        long pollId = fresh.or(() -> polls.queued(mailbox.id()))
                .orElseThrow(() -> running(mailbox));
        if (fresh.isPresent()) {
            try {
                mailboxes.whileEnabled(mailbox.id(), held -> scheduler.queue(held, pollId));
            } catch (RuntimeException e) {
                polls.dropQueued(pollId, "not run: the scheduler could not queue it");
                throw e;
            }
        }
        String location = "/api/mailboxes/" + mailbox.id() + "/polls/" + pollId;
        ctx.header("Location", location);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "queued");
        body.put("mailbox_id", mailbox.id());
        body.put("poll_id", pollId);
        body.put("poll", location);
        body.put("job_id", scheduler.jobId(mailbox.id()));
        body.put("message", "the sync limits are reached (mailroom.sync.max.concurrent, mailroom.sync.max.per.user);"
                + " the sync runs when a slot is free: read its poll");
        ctx.status(202).json(body);
    }

    private static long pollId(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("poll_id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound(ctx.path());
        }
    }

    private static ApiException running(Mailbox mailbox) {
        return ApiException.conflict("a sync of mailbox " + mailbox.id() + " is running");
    }

    private Map<String, Object> test(Mailbox mailbox) {
        Map<String, Object> result = new LinkedHashMap<>();
        try (SourceConnection connection = connector.connect(mailbox)) {
            List<String> capabilities = connection.capabilities();
            folderList.refresh(connection, mailbox.id());
            result.put("ok", true);
            result.put("capabilities", capabilities);
            result.put("folders", connection.folders().stream().map(FolderInfo::name).toList());
            result.put("error", null);
        } catch (RuntimeException e) {
            result.put("ok", false);
            result.put("capabilities", List.of());
            result.put("folders", List.of());
            result.put("error", ShownError.of(e));
        }
        return result;
    }

    /** The server's folder list is read again when the connection settings change, without holding the request. */
    private void refreshFoldersLater(Mailbox mailbox) {
        background.submit(() -> {
            try (SourceConnection connection = connector.connect(mailbox)) {
                folderList.refresh(connection, mailbox.id());
            } catch (RuntimeException ignored) {
                // The next test or sync reports what is wrong with the connection.
            }
        });
    }

    private Mailbox visible(Context ctx) {
        User caller = Authentication.caller(ctx);
        return mailboxes.visible(caller, PathIds.id(ctx));
    }

    private Map<String, Object> view(Mailbox mailbox) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", mailbox.id());
        view.put("name", mailbox.name());
        view.put("email", mailbox.email());
        view.put("source", mailbox.source());
        view.put("auth", mailbox.auth());
        view.put("settings", mailboxes.shownSettings(mailbox));
        if (mailbox.auth().startsWith("oauth:")) {
            // who authorized (for a shared mailbox, not its login name) and until when the token runs; never a token
            Optional<OAuthGrant> grant = jdbi.onDemand(GrantDao.class).find(mailbox.id());
            view.put("oauth", grant.<Map<String, Object>>map(g -> {
                Map<String, Object> oauth = new LinkedHashMap<>();
                oauth.put("authorized", true);
                oauth.put("account", g.account());
                oauth.put("expires_at", g.expiresAt());
                return oauth;
            }).orElse(Map.of("authorized", false)));
        }
        view.put("owner_user_id", mailbox.ownerUserId());
        view.put("folders", mailbox.folders());
        view.put("schedule", mailbox.schedule());
        view.put("push", mailbox.push());
        view.put("priority", mailbox.priority());
        view.put("first_sync_days", mailbox.firstSyncDays());
        view.put("max_messages_per_poll", mailbox.maxMessagesPerPoll());
        view.put("unread_only", mailbox.unreadOnly());
        view.put("mark_as_read", mailbox.markAsRead());
        view.put("move_processed_to", mailbox.moveProcessedTo());
        view.put("enabled", mailbox.enabled());
        Optional<String> unavailable = mailboxes.unavailable(mailbox);
        view.put("status", unavailable.isPresent() ? "disabled" : mailbox.status());
        view.put("last_error", unavailable.orElse(mailbox.lastError()));
        view.put("source_available", unavailable.isEmpty());
        view.put("last_sync_at", mailbox.lastSyncAt());
        view.put("last_success_at", mailbox.lastSuccessAt());
        view.put("next_sync_at", scheduler.nextSyncAt(mailbox).orElse(null));
        view.put("consecutive_failures", mailbox.consecutiveFailures());
        view.put("job_id", scheduler.jobId(mailbox.id()));
        view.put("stats", stats(mailbox));
        sections.forEach(section -> view.put(section.name(), section.show(mailbox)));
        return view;
    }

    private void checkSections(MailboxInput input) {
        sections.stream().filter(section -> given(input, section) != null)
                .forEach(section -> section.check(given(input, section)));
    }

    private void saveSections(Mailbox mailbox, MailboxInput input) {
        sections.stream().filter(section -> given(input, section) != null)
                .forEach(section -> section.save(mailbox, given(input, section)));
    }

    /** What the input gives for a section: null when left out (then it stays as it is). */
    private static com.fasterxml.jackson.databind.JsonNode given(MailboxInput input, MailboxSection section) {
        return switch (section.name()) {
            case "smtp" -> input.smtp();
            case "filter_query" -> input.filterQuery();
            case "sync_known_only" -> input.syncKnownOnly();
            case "contacts_only" -> input.contactsOnly();
            case "sink" -> SinkSection.given(input);
            case "company_id" -> input.companyId();
            default -> null;
        };
    }

    /**
     * The mailbox's figures, each read from a small row, never by counting its messages: stored
     * messages and backlog from the per-folder counts (V14); while a run is going, how far it got
     * ({@code import}: its poll's found, stored and total).
     */
    private Map<String, Object> stats(Mailbox mailbox) {
        MailboxDao mailboxDao = jdbi.onDemand(MailboxDao.class);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("messages", mailboxDao.storedMessages(mailbox.id()));
        stats.put("quarantined", mailboxDao.quarantined(mailbox.id()));
        stats.put("backlog", mailboxDao.backlog(mailbox.id(), mailbox.folders().toArray(String[]::new)));
        jdbi.onDemand(PollDao.class).running(mailbox.id()).ifPresent(poll -> {
            Map<String, Object> running = new LinkedHashMap<>();
            running.put("poll_id", poll.id());
            running.put("found", poll.found());
            running.put("stored", poll.stored());
            running.put("total", poll.total());
            stats.put("import", running);
        });
        return stats;
    }

    private static Map<String, Object> folderView(FolderState folder, boolean enabled) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", folder.name());
        view.put("enabled", enabled);
        view.put("messages", folder.messages());
        view.put("deleted_on_server", folder.deletedOnServer());
        view.put("attributes", folder.attributes());
        return view;
    }

    /** The skipped message with this key; {@code folder} is needed only when the key is skipped in several folders. */
    private SkippedDao.Skipped skippedAt(Mailbox mailbox, String key, String folder) {
        List<SkippedDao.Skipped> matches = jdbi.onDemand(SkippedDao.class).withKey(mailbox.id(), key).stream()
                .filter(skipped -> folder == null || skipped.folder().equals(folder)).toList();
        if (matches.isEmpty()) {
            throw ApiException.notFound("skipped message " + key);
        }
        if (matches.size() > 1) {
            throw ApiException.invalid("folder", "message " + key + " was skipped in "
                    + matches.stream().map(SkippedDao.Skipped::folder).distinct().toList()
                    + "; name one with ?folder=");
        }
        return matches.getFirst();
    }

    /** A skipped message as API.md names it ({@code key}, {@code from}, {@code date}), beside the row's own fields. */
    private static Map<String, Object> skippedView(SkippedDao.Skipped skipped) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", skipped.id());
        view.put("mailbox_id", skipped.mailboxId());
        view.put("key", skipped.serverKey());
        view.put("server_key", skipped.serverKey());
        view.put("folder", skipped.folder());
        view.put("uid_validity", skipped.uidValidity());
        view.put("from", skipped.sender());
        view.put("subject", skipped.subject());
        view.put("date", skipped.sentAt());
        view.put("size", skipped.size());
        view.put("reason", skipped.reason());
        view.put("skipped_at", skipped.skippedAt());
        return view;
    }
}
