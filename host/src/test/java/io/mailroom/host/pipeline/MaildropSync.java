package io.mailroom.host.pipeline;

import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A fresh database and a {@link FolderSync} wired as the host wires it, at a fixed time; close it after each test. */
final class MaildropSync implements AutoCloseable {

    final Jdbi jdbi;
    final FolderSync folderSync;
    private final Database database;
    private final ExecutorService workers = Executors.newFixedThreadPool(2);

    MaildropSync(Instant now) {
        database = TestDatabase.create();
        jdbi = database.jdbi();
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        SyncStages stages = new SyncStages(new SimpleMeterRegistry());
        folderSync = new FolderSync(jdbi, TestBatchCommit.of(jdbi, new MessageParser(1 << 20), clock,
                workers, 1 << 20, stages), new PostActionRunner(jdbi, clock), () -> false, clock, 1 << 20, stages);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        database.close();
    }
}
