package io.mailroom.host.mime;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the parsing stage with Jazzer (libFuzzer in the JVM): the inputs are
 * mutated towards code of the parser (and mime4j under it) not run yet, starting from the seed
 * messages in {@code MessageParserCoverageFuzzTestInputs/}. Each input must hold
 * {@link ParseProperty}; an input slower than Jazzer's per-input timeout is a finding too.
 *
 * <p>In a plain test run this replays the seeds (and any finding saved beside them). The build
 * fuzzes it for {@link #FUZZ_TIME} in an execution of its own with {@code JAZZER_FUZZ=1} (host's
 * pom, profile {@code coverage-fuzz}); see docs/RELIABILITY.md.
 */
class MessageParserCoverageFuzzTest {

    static final String FUZZ_TIME = "30s";

    private final MessageParser parser = new MessageParser();

    @FuzzTest(maxDuration = FUZZ_TIME)
    void any_bytes_parse_within_the_bounds_or_are_refused_as_not_a_message(byte[] raw) {
        ParseProperty.holds(parser, raw);
    }
}
