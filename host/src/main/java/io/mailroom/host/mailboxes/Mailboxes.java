package io.mailroom.host.mailboxes;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.auth.User;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.plugins.PluginHost;
import io.mailroom.host.plugins.SettingsValidator;
import io.mailroom.host.secrets.SealedSettings;
import io.mailroom.host.secrets.SecretSealer;
import io.mailroom.host.auth.UserDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Creates, changes, copies and removes mailboxes. Every field is checked before anything is
 * written, settings against what the source declares, so bad input changes nothing; secret
 * settings are sealed for the mailbox and never leave it in clear, and they are dropped when
 * the mailbox is pointed at another server or login ({@link LoginIdentity}). The row and its
 * sync job commit together ({@link SyncJobs}).
 */
public final class Mailboxes {

    private static final Logger LOG = LoggerFactory.getLogger(Mailboxes.class);

    private final Jdbi jdbi;
    private final PluginHost plugins;
    private final SealedSettings sealed;
    private final int defaultMaxMessagesPerPoll;
    private final Duration minScheduleInterval;
    private final MailboxChanges changes;
    private final Function<String, Optional<String>> loginUnavailable;

    /**
     * {@code changes} is told of every mailbox created, changed or deleted, after the commit;
     * {@code loginUnavailable} tells why mailboxes with a given {@code auth} cannot log in now (an
     * OAuth provider that is not enabled), or empty.
     */
    public Mailboxes(Jdbi jdbi, PluginHost plugins, SealedSettings sealed, int defaultMaxMessagesPerPoll,
                     Duration minScheduleInterval, MailboxChanges changes,
                     Function<String, Optional<String>> loginUnavailable) {
        this.loginUnavailable = loginUnavailable;
        this.jdbi = jdbi;
        this.plugins = plugins;
        this.sealed = sealed;
        this.defaultMaxMessagesPerPoll = defaultMaxMessagesPerPoll;
        this.minScheduleInterval = minScheduleInterval;
        this.changes = changes;
    }

    /** The mailbox if the caller may see it (their own; any for a superadmin); 404 otherwise. */
    public Mailbox visible(User caller, long id) {
        return jdbi.onDemand(MailboxDao.class).findVisible(id, viewer(caller))
                .orElseThrow(() -> ApiException.notFound("mailbox " + id));
    }

    /** The id filter of the caller's reads: null lets a superadmin see every mailbox. */
    public static Long viewer(User caller) {
        return caller.isSuperadmin() ? null : caller.id();
    }

    public Mailbox create(User caller, MailboxInput input, SyncJobs jobs) {
        Mailbox draft = MailboxInputCheck.check(input, null, owner(caller, input.ownerUserId()), defaultMaxMessagesPerPoll,
                minScheduleInterval);
        List<SettingDescriptor> descriptors = descriptors(draft.source());
        Map<String, String> settings = validSettings(descriptors, Map.of(), input.settings());
        requireLogin(draft.auth(), descriptors, settings);
        Mailbox created = withJob(jobs, null, handle -> {
            long id = handle.attach(MailboxDao.class).insert(draft);
            return saveSettings(handle, id, descriptors, settings);
        });
        changes.changed(created.id());
        return created;
    }

    public Mailbox update(User caller, long id, MailboxInput input, SyncJobs jobs) {
        Mailbox current = visible(caller, id);
        Long owner = input.ownerUserId() == null ? current.ownerUserId() : owner(caller, input.ownerUserId());
        Mailbox changed = MailboxInputCheck.check(input, current, owner, defaultMaxMessagesPerPoll, minScheduleInterval);
        if (input.settings() == null && changed.source().equals(current.source()) && changed.auth().equals(current.auth())) {
            // The stored settings stay as they are, even while the source's plugin is not started.
            Mailbox saved = withJob(jobs, current, handle -> {
                handle.attach(MailboxDao.class).update(changed);
                return handle.attach(MailboxDao.class).find(id).orElseThrow();
            });
            changes.changed(id);
            return saved;
        }
        List<SettingDescriptor> descriptors = descriptors(changed.source());
        Map<String, String> settings = changedSettings(current, changed, descriptors, input.settings());
        boolean loginMoved = !changed.auth().equals(current.auth())
                || LoginIdentity.firstChange(descriptors, current.source().equals(changed.source())
                        ? readableSettings(current, descriptors, input.settings()) : Map.of(), settings).isPresent();
        Mailbox saved = withJob(jobs, current, handle -> {
            handle.attach(MailboxDao.class).update(changed);
            if (loginMoved) {
                // OAuth tokens are secrets of this login like a password: they do not follow it elsewhere
                handle.attach(GrantDao.class).delete(id);
            }
            return saveSettings(handle, id, descriptors, settings);
        });
        changes.changed(id);
        return saved;
    }

    /**
     * A new, disabled mailbox with the configuration of mailbox {@code id}, changed by
     * {@code overrides} (may be null). Its secrets are sealed for it anew, and carried over only
     * while it logs in where and as whom the original does.
     */
    public Mailbox copy(User caller, long id, MailboxInput overrides, SyncJobs jobs) {
        Mailbox original = visible(caller, id);
        MailboxInput in = overrides != null ? overrides : new MailboxInput(null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        Long owner = in.ownerUserId() == null ? original.ownerUserId() : owner(caller, in.ownerUserId());
        Mailbox base = MailboxInputCheck.check(in, original, owner, defaultMaxMessagesPerPoll, minScheduleInterval);
        List<SettingDescriptor> descriptors = descriptors(base.source());
        Map<String, String> settings = changedSettings(original, base, descriptors, in.settings());
        Mailbox copy = new Mailbox(0, base.ownerUserId(), in.name() != null ? base.name() : original.name() + " (copy)",
                base.email(), base.source(), base.auth(), "{}", base.folders(), base.firstSyncDays(),
                base.maxMessagesPerPoll(), base.unreadOnly(), base.markAsRead(), base.moveProcessedTo(),
                false, "disabled", null, null, null, 0, base.schedule(), base.priority(), base.push());
        return withJob(jobs, null, handle -> {
            long newId = handle.attach(MailboxDao.class).insert(copy);
            return saveSettings(handle, newId, descriptors, settings);
        });
    }

    public void delete(User caller, long id, SyncJobs jobs) {
        Mailbox current = visible(caller, id);
        AtomicReference<Boolean> removed = new AtomicReference<>(false);
        try {
            jdbi.useTransaction(handle -> {
                handle.attach(MailboxDao.class).delete(id);
                scheduled(() -> jobs.remove(id), id);
                removed.set(true);
            });
        } catch (RuntimeException e) {
            if (removed.get()) {
                undo(() -> jobs.update(current), id);
            }
            throw e;
        }
        changes.changed(id);
    }

    /** The mailbox's settings with secrets opened. */
    public Map<String, String> openSettings(Mailbox mailbox) {
        return sealed.open(MailboxConnector.storedSettings(mailbox), descriptors(mailbox.source()), mailbox.secretOwner());
    }

    /**
     * The stored settings a change builds on. A secret sealed under a key this host does not have
     * (another host's, or one left out of the configuration) is left out when the change sends it
     * again, so an admin can mend the mailbox by entering it; otherwise the change is refused in
     * words (409 {@code secret_unreadable}) rather than dropping it unasked.
     */
    private Map<String, String> readableSettings(Mailbox current, List<SettingDescriptor> descriptors, Map<String, Object> given) {
        try {
            return openSettings(current);
        } catch (io.mailroom.host.secrets.SealedSecretException e) {
            Map<String, String> readable = new LinkedHashMap<>(MailboxConnector.storedSettings(current));
            for (SettingDescriptor setting : descriptors) {
                if (setting.secret() && readable.containsKey(setting.name())) {
                    if (given == null || given.get(setting.name()) == null) {
                        throw new ApiException(409, "secret_unreadable", "the stored settings." + setting.name()
                                + " cannot be opened (" + e.getMessage() + "); send settings." + setting.name()
                                + " again, or start the host with the key it was sealed with",
                                Map.of("path", "settings." + setting.name()));
                    }
                    readable.remove(setting.name());
                }
            }
            return readable;
        }
    }

    /**
     * The settings as the API shows them: no secret, only whether each is set. When no started
     * plugin serves the source, the values as stored, with every sealed value shown as set.
     */
    public Map<String, Object> shownSettings(Mailbox mailbox) {
        Map<String, String> stored = MailboxConnector.storedSettings(mailbox);
        Optional<MailSource> source = plugins.extension(MailSource.class, mailbox.source());
        if (source.isPresent()) {
            return SealedSettings.redacted(stored, source.get().mailboxSettings());
        }
        Map<String, Object> shown = new LinkedHashMap<>();
        stored.forEach((name, value) -> {
            if (SecretSealer.looksSealed(value)) {
                shown.put(name + "_set", true);
            } else {
                shown.put(name, value);
            }
        });
        return shown;
    }

    /**
     * Calls {@code call} with the mailbox as committed, its row held meanwhile, when it is enabled;
     * otherwise 409. A change of the mailbox brings its job in step in the row's transaction, so a
     * call that touches the job (a sync asked for now) never runs beside one: it waits for a change
     * under way and sees it, and a change waits for it.
     */
    public void whileEnabled(long id, Consumer<Mailbox> call) {
        jdbi.useTransaction(handle -> {
            Mailbox mailbox = handle.attach(MailboxDao.class).findHeld(id)
                    .orElseThrow(() -> ApiException.notFound("mailbox " + id));
            if (!mailbox.enabled()) {
                throw disabled(mailbox);
            }
            call.accept(mailbox);
        });
    }

    /** The answer to a sync asked for of a disabled mailbox. */
    public static ApiException disabled(Mailbox mailbox) {
        return ApiException.conflict("mailbox " + mailbox.id() + " is disabled; enable it to sync");
    }

    /** Why the mailbox cannot sync whatever its own state: its source has no started plugin. */
    public Optional<String> unavailable(Mailbox mailbox) {
        if (plugins.extension(MailSource.class, mailbox.source()).isPresent()) {
            return loginUnavailable.apply(mailbox.auth());
        }
        return Optional.of("the mail source '" + mailbox.source() + "' is not available: the plugin that serves it"
                + " is not started (disabled, failed or removed; see GET /api/plugins)");
    }

    /**
     * The settings a changed mailbox gets: the given ones over the previous ones (none when the
     * source changes). When where or as whom it logs in changes, every stored secret is dropped
     * and must be given again in the same request.
     */
    private Map<String, String> changedSettings(Mailbox current, Mailbox changed, List<SettingDescriptor> descriptors,
                                                Map<String, Object> given) {
        boolean sourceChanged = !changed.source().equals(current.source());
        Map<String, String> previous = sourceChanged ? Map.of() : readableSettings(current, descriptors, given);
        Map<String, String> settings = validSettings(descriptors, previous, given);
        Optional<String> moved = changed.auth().equals(current.auth())
                ? LoginIdentity.firstChange(descriptors, previous, settings) : Optional.of("auth");
        if (moved.isPresent() && changed.auth().startsWith("oauth:")) {
            // an OAuth login takes no stored secret: the old ones are dropped, not asked for again
            descriptors.stream().filter(SettingDescriptor::secret).filter(d -> given == null || given.get(d.name()) == null)
                    .forEach(d -> settings.remove(d.name()));
        } else if (moved.isPresent()) {
            for (SettingDescriptor setting : descriptors) {
                boolean resent = given != null && given.get(setting.name()) != null;
                if (setting.secret() && previous.containsKey(setting.name()) && !resent) {
                    String what = moved.get().equals("auth") ? "auth" : "settings." + moved.get();
                    throw ApiException.invalid("settings." + setting.name(), "changing " + what
                            + " changes where or as whom the mailbox logs in, which drops the stored " + setting.name()
                            + "; send settings." + setting.name() + " again in the same request");
                }
            }
        }
        requireLogin(changed.auth(), descriptors, settings);
        return settings;
    }

    /** A mailbox that logs in with a password needs one, if its source takes one. */
    private static void requireLogin(String auth, List<SettingDescriptor> descriptors, Map<String, String> settings) {
        boolean takesPassword = descriptors.stream().anyMatch(d -> d.name().equals("password") && d.secret());
        String password = settings.get("password");
        if ("password".equals(auth) && takesPassword && (password == null || password.isEmpty())) {
            throw ApiException.invalid("settings.password", "settings.password is required with auth 'password'");
        }
    }

    /**
     * Writes the row in a transaction that also brings its sync job in step: when the scheduler
     * refuses, the row rolls back; when the commit fails after the job changed, the job is put
     * back as it was ({@code before}, or none).
     */
    private Mailbox withJob(SyncJobs jobs, Mailbox before, Function<Handle, Mailbox> write) {
        AtomicReference<Mailbox> scheduled = new AtomicReference<>();
        try {
            return jdbi.inTransaction(handle -> {
                Mailbox saved = write.apply(handle);
                scheduled(() -> jobs.update(saved), saved.id());
                scheduled.set(saved);
                return saved;
            });
        } catch (RuntimeException e) {
            Mailbox saved = scheduled.get();
            if (saved != null) {
                undo(before == null ? () -> jobs.remove(saved.id()) : () -> jobs.update(before), saved.id());
            }
            throw e;
        }
    }

    private static void scheduled(Runnable call, long mailboxId) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("Mailbox {}: the scheduler refused its job, nothing was saved: {}", mailboxId, e.getMessage(), e);
            throw new ApiException(503, "scheduler_unavailable", "nothing was saved: the scheduler could not update "
                    + "the mailbox's sync job; try again (the server log says why)", Map.of());
        }
    }

    private static void undo(Runnable call, long mailboxId) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("Mailbox {}: its sync job could not be put back after a failed commit; the next start "
                    + "reconciles it: {}", mailboxId, e.getMessage(), e);
        }
    }

    private Mailbox saveSettings(Handle handle, long id, List<SettingDescriptor> descriptors, Map<String, String> settings) {
        MailboxDao dao = handle.attach(MailboxDao.class);
        dao.updateSettings(id, MailboxConnector.settingsJson(sealed.seal(settings, descriptors, Mailbox.secretOwner(id))));
        return dao.find(id).orElseThrow();
    }

    /** The given settings over the previous ones (a null value removes one), checked against the source. */
    private static Map<String, String> validSettings(List<SettingDescriptor> descriptors, Map<String, String> previous,
                                                     Map<String, Object> given) {
        Map<String, Object> merged = new LinkedHashMap<>(previous);
        if (given != null) {
            merged.putAll(given);
            given.forEach((name, value) -> {
                if (value == null) {
                    merged.remove(name);
                }
            });
        }
        return new SettingsValidator(descriptors).validate("settings", merged);
    }

    private List<SettingDescriptor> descriptors(String source) {
        return plugins.extension(MailSource.class, source).map(MailSource::mailboxSettings)
                .orElseThrow(() -> ApiException.invalid("source", "no started plugin serves the mail source '"
                        + source + "'; available: " + plugins.extensions(MailSource.class).stream().map(MailSource::id).toList()));
    }

    private Long owner(User caller, Long requested) {
        if (requested == null || requested == caller.id()) {
            return caller.id();
        }
        if (!caller.isSuperadmin()) {
            throw ApiException.invalid("owner_user_id", "only a superadmin may give a mailbox to another user");
        }
        Optional<User> owner = jdbi.onDemand(UserDao.class).find(requested);
        return owner.map(User::id).orElseThrow(() -> ApiException.invalid("owner_user_id", "no user " + requested));
    }
}
