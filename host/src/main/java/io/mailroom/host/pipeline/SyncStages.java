package io.mailroom.host.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.MDC;

import java.util.function.Supplier;

/**
 * What the pipeline does around each stage of a sync, so that the stages need not: the MDC key
 * {@code stage} while it runs (its log lines say which stage wrote them), and a timer
 * {@code mailroom.sync.stage} tagged with the stage, so {@code /metrics} shows where the time of
 * an import goes. The stages: {@code fetch} (reading a batch from the server; with reading ahead
 * it runs beside the write, see {@link BatchFeed}), {@code fetch_wait} (the part of a batch read
 * ahead that the writing side waited for), {@code parse} (hashing and parsing, on all cores; only
 * what writing did not hide), {@code write} (its transaction), {@code post_actions} (server
 * actions after the commit). With reading ahead the stages overlap, so their sum exceeds the
 * wall time; {@code fetch_wait + parse + write + post_actions} is about what the import took.
 */
public final class SyncStages {

    static final String FETCH = "fetch";
    static final String FETCH_WAIT = "fetch_wait";
    static final String PARSE = "parse";
    static final String WRITE = "write";
    static final String POST_ACTIONS = "post_actions";

    private final MeterRegistry registry;

    public SyncStages(MeterRegistry registry) {
        this.registry = registry;
    }

    <T> T run(String stage, Supplier<T> work) {
        String outer = MDC.get("stage");
        MDC.put("stage", stage);
        Timer.Sample sample = Timer.start(registry);
        try {
            return work.get();
        } finally {
            sample.stop(Timer.builder("mailroom.sync.stage").description("Time spent in each stage of syncing mail")
                    .tag("stage", stage).register(registry));
            if (outer == null) {
                MDC.remove("stage");
            } else {
                MDC.put("stage", outer);
            }
        }
    }

    void run(String stage, Runnable work) {
        run(stage, () -> {
            work.run();
            return null;
        });
    }
}
