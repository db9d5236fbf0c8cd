package io.mailroom.host.mailboxes;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.source.MailSource;
import io.mailroom.host.auth.User;
import io.mailroom.host.http.ApiException;
import io.mailroom.host.plugins.PluginHost;
import io.mailroom.host.plugins.SettingsValidator;
import io.mailroom.host.schedule.MailboxChanges;
import io.mailroom.host.secrets.SealedSettings;
import io.mailroom.host.store.MailboxDao;
import io.mailroom.host.store.UserDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates, changes, copies and removes mailboxes. Every field is checked before anything is
 * written, settings against what the source declares, so bad input changes nothing; secret
 * settings are sealed for the mailbox and never leave it in clear.
 */
public final class Mailboxes {

    private final Jdbi jdbi;
    private final PluginHost plugins;
    private final SealedSettings sealed;
    private final int defaultMaxMessagesPerPoll;
    private final MailboxChanges changes;

    /** {@code changes} is told of every mailbox created, changed or deleted, after the commit. */
    public Mailboxes(Jdbi jdbi, PluginHost plugins, SealedSettings sealed, int defaultMaxMessagesPerPoll,
                     MailboxChanges changes) {
        this.jdbi = jdbi;
        this.plugins = plugins;
        this.sealed = sealed;
        this.defaultMaxMessagesPerPoll = defaultMaxMessagesPerPoll;
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

    public Mailbox create(User caller, MailboxInput input) {
        Mailbox draft = MailboxRules.check(input, null, owner(caller, input.ownerUserId()), defaultMaxMessagesPerPoll);
        Map<String, String> settings = validSettings(draft.source(), Map.of(), input.settings());
        Mailbox created = jdbi.inTransaction(handle -> {
            long id = handle.attach(MailboxDao.class).insert(draft);
            return saveSettings(handle, id, draft.source(), settings);
        });
        changes.changed(created.id());
        return created;
    }

    public Mailbox update(User caller, long id, MailboxInput input) {
        Mailbox current = visible(caller, id);
        Long owner = input.ownerUserId() == null ? current.ownerUserId() : owner(caller, input.ownerUserId());
        Mailbox changed = MailboxRules.check(input, current, owner, defaultMaxMessagesPerPoll);
        boolean sourceChanged = !changed.source().equals(current.source());
        Map<String, String> previous = sourceChanged ? Map.of() : openSettings(current);
        Map<String, String> settings = input.settings() == null && !sourceChanged
                ? previous : validSettings(changed.source(), previous, input.settings());
        Mailbox saved = jdbi.inTransaction(handle -> {
            handle.attach(MailboxDao.class).update(changed);
            return saveSettings(handle, id, changed.source(), settings);
        });
        changes.changed(id);
        return saved;
    }

    /** A new, disabled mailbox with the same configuration; its secrets are sealed for it anew. */
    public Mailbox copy(User caller, long id) {
        Mailbox original = visible(caller, id);
        Map<String, String> settings = openSettings(original);
        Mailbox copy = new Mailbox(0, original.ownerUserId(), original.name() + " (copy)", original.email(),
                original.source(), original.auth(), "{}", original.folders(), original.firstSyncDays(),
                original.maxMessagesPerPoll(), original.unreadOnly(), original.markAsRead(), original.moveProcessedTo(),
                false, "disabled", null, null, null, 0, original.schedule(), original.priority(), original.push());
        return jdbi.inTransaction(handle -> {
            long newId = handle.attach(MailboxDao.class).insert(copy);
            return saveSettings(handle, newId, copy.source(), settings);
        });
    }

    public void delete(User caller, long id) {
        visible(caller, id);
        jdbi.onDemand(MailboxDao.class).delete(id);
        changes.changed(id);
    }

    /** The mailbox's settings with secrets opened. */
    public Map<String, String> openSettings(Mailbox mailbox) {
        return sealed.open(MailboxConnector.storedSettings(mailbox), descriptors(mailbox.source()), mailbox.secretOwner());
    }

    /** The settings as the API shows them: no secret, only whether each is set. */
    public Map<String, Object> shownSettings(Mailbox mailbox) {
        return SealedSettings.redacted(MailboxConnector.storedSettings(mailbox), descriptors(mailbox.source()));
    }

    private Mailbox saveSettings(Handle handle, long id, String source, Map<String, String> settings) {
        MailboxDao dao = handle.attach(MailboxDao.class);
        dao.updateSettings(id, MailboxConnector.settingsJson(sealed.seal(settings, descriptors(source), "mailbox:" + id)));
        return dao.find(id).orElseThrow();
    }

    /** The given settings over the previous ones (a null value removes one), checked against the source. */
    private Map<String, String> validSettings(String source, Map<String, String> previous, Map<String, Object> given) {
        Map<String, Object> merged = new LinkedHashMap<>(previous);
        if (given != null) {
            merged.putAll(given);
            given.forEach((name, value) -> {
                if (value == null) {
                    merged.remove(name);
                }
            });
        }
        return new SettingsValidator(descriptors(source)).validate("settings", merged);
    }

    private List<SettingDescriptor> descriptors(String source) {
        return plugins.extension(MailSource.class, source).map(MailSource::settings)
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
