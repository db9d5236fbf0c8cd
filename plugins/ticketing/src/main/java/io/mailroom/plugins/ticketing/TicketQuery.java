package io.mailroom.plugins.ticketing;

import java.util.List;

/** The filters of {@code GET /tickets}; a null filter matches every ticket. */
record TicketQuery(String status, Long companyId, Long contactId) {

    /** The SQL condition, its parameters appended to {@code parameters}; {@code mailboxIds} null = every mailbox. */
    String where(Long[] mailboxIds, List<Object> parameters) {
        StringBuilder where = new StringBuilder("TRUE");
        if (mailboxIds != null) {
            where.append(" AND mailbox_id = ANY(?)");
            parameters.add(mailboxIds);
        }
        if (status != null) {
            where.append(" AND status = ?");
            parameters.add(status);
        }
        if (companyId != null) {
            where.append(" AND company_id = ?");
            parameters.add(companyId);
        }
        if (contactId != null) {
            where.append(" AND contact_id = ?");
            parameters.add(contactId);
        }
        return where.toString();
    }
}
