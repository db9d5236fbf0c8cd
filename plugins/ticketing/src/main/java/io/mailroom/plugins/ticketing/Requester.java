package io.mailroom.plugins.ticketing;

/** Who a new ticket is for: a directory contact and company when known (either may be null). */
record Requester(Long contactId, Long companyId, String email, String name) {
}
