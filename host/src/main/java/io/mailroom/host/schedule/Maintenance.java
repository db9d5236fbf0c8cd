package io.mailroom.host.schedule;

import org.jdbi.v3.core.Jdbi;

/**
 * The maintenance pause, kept in the database so every node of a cluster sees the same answer.
 * While paused no new sync starts (scheduled, API or command line); a running one finishes.
 */
public final class Maintenance {

    private static final String PAUSED = "paused";

    private final Jdbi jdbi;

    public Maintenance(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public boolean paused() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT value FROM service_state WHERE key = :key")
                .bind("key", PAUSED).mapTo(String.class).findOne()).map(Boolean::parseBoolean).orElse(false);
    }

    public void setPaused(boolean paused) {
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO service_state (key, value) VALUES (:key, :value) "
                        + "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()")
                .bind("key", PAUSED).bind("value", Boolean.toString(paused)).execute());
    }
}
