package io.mailroom.host.schedule;

import org.jdbi.v3.core.Jdbi;

/**
 * The maintenance pause, kept in the database so every node of a cluster sees the same answer.
 * While paused no new sync starts (scheduled, API or command line); a running one finishes the
 * batch it is storing and stops.
 */
public final class Maintenance {

    private static final String PAUSED = "paused";

    private final Jdbi jdbi;

    public Maintenance(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public boolean paused() {
        return jdbi.onDemand(ServiceStateDao.class).value(PAUSED).map(Boolean::parseBoolean).orElse(false);
    }

    public void setPaused(boolean paused) {
        jdbi.onDemand(ServiceStateDao.class).set(PAUSED, Boolean.toString(paused));
    }
}
