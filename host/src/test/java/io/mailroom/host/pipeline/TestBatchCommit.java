package io.mailroom.host.pipeline;

import io.mailroom.host.filters.FilterCompiler;
import io.mailroom.host.filters.FilterOperators;
import io.mailroom.host.mime.Classifier;
import io.mailroom.host.mime.MessageParser;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.concurrent.ExecutorService;

/** The write stages of a sync wired as {@code MailroomCore} wires them, for tests that drive them without the rest. */
final class TestBatchCommit {

    private TestBatchCommit() {
    }

    static BatchCommit of(Jdbi jdbi, MessageParser parser, Clock clock, ExecutorService workers, long maxMessageSize,
                          SyncStages stages) {
        IngestMessage ingest = ingest(parser, clock);
        return new BatchCommit(jdbi, ingest, new StoreBatch(ingest, new ThreadBatch()), workers, maxMessageSize, stages,
                new TakeMessages(jdbi, new FilterCompiler(new FilterOperators(null)), new Classifier()));
    }

    static IngestMessage ingest(MessageParser parser, Clock clock) {
        return new IngestMessage(parser, new Classifier(), new AssignThread(), clock);
    }
}
