package io.mailroom.host.pipeline;

import io.mailroom.api.source.FetchOptions.KnownMessages;
import io.mailroom.host.messages.MessageDao;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The keys of a folder that are stored or quarantined: the cursor of sources without UIDs that
 * survive (POP3 UIDL), where "new" means "not among these".
 */
record StoredKeys(Jdbi jdbi, long mailboxId, String folder) implements KnownMessages {

    @Override
    public boolean contains(String serverKey) {
        return !knownAmong(Set.of(serverKey)).isEmpty();
    }

    @Override
    public Set<String> knownAmong(Collection<String> serverKeys) {
        return new HashSet<>(jdbi.onDemand(MessageDao.class).keysAt(mailboxId, folder, 0,
                serverKeys.toArray(String[]::new)));
    }

    @Override
    public Map<String, Instant> sentAmong(Collection<String> serverKeys) {
        Map<String, Instant> sent = new HashMap<>();
        jdbi.onDemand(MessageDao.class).sentAt(mailboxId, folder, 0, serverKeys.toArray(String[]::new))
                .forEach(row -> sent.put(row.serverKey(), row.sentAt()));
        return sent;
    }
}
