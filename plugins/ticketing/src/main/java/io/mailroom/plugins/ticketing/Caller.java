package io.mailroom.plugins.ticketing;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.route.RouteRequest;

import java.util.List;

/**
 * What the caller of a route may see: a superadmin every mailbox's tickets, a user those of the
 * mailboxes they own. Anything else answers 404, as if it did not exist.
 */
final class Caller {

    private final Long[] mailboxIds;

    private Caller(Long[] mailboxIds) {
        this.mailboxIds = mailboxIds;
    }

    static Caller of(RouteRequest request, ExtensionContext context) {
        if (request.callerSuperadmin()) {
            return new Caller(null);
        }
        List<Long> owned = context.mailboxes().ownedBy(request.callerId());
        return new Caller(owned.toArray(Long[]::new));
    }

    /** The mailboxes the caller may see, or null for all. */
    Long[] mailboxIds() {
        return mailboxIds == null ? null : mailboxIds.clone();
    }

    boolean sees(long mailboxId) {
        if (mailboxIds == null) {
            return true;
        }
        for (Long id : mailboxIds) {
            if (id == mailboxId) {
                return true;
            }
        }
        return false;
    }
}
