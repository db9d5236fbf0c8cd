/**
 * PostgreSQL: the connection pool, Flyway migrations (the host's and each plugin's), Jdbi, and the
 * embedded server Mailroom runs when no database URL is configured. Start with {@link
 * io.mailroom.host.store.Database#open}.
 */
package io.mailroom.host.store;
