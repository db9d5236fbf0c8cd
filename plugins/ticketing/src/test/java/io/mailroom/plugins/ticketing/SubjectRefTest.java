package io.mailroom.plugins.ticketing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectRefTest {

    @Test
    void finds_the_first_well_formed_reference_in_any_case() {
        assertThat(SubjectRef.find("Re: [TCK-91] Printer", "TCK")).contains("TCK-91");
        assertThat(SubjectRef.find("AW: printer [tck-007]", "TCK")).contains("TCK-7");
        assertThat(SubjectRef.find("[TCK-] [TCK-x] [TCK-12", "TCK")).isEmpty();
        assertThat(SubjectRef.find("[ABC-1] then [TCK-3]", "TCK")).contains("TCK-3");
        assertThat(SubjectRef.find("TCK-3 without brackets", "TCK")).isEmpty();
        assertThat(SubjectRef.find(null, "TCK")).isEmpty();
    }

    @Test
    void looks_no_further_than_the_scan_limit() {
        String far = "x".repeat(SubjectRef.SCAN_LIMIT) + "[TCK-1]";
        String hostile = "[TCK-".repeat(100_000);

        assertThat(SubjectRef.find(far, "TCK")).isEmpty();
        assertThat(SubjectRef.find(hostile, "TCK")).isEmpty();
    }

    @Test
    void a_subject_carries_the_reference_once() {
        assertThat(SubjectRef.ensure("Printer down", "TCK-4")).isEqualTo("[TCK-4] Printer down");
        assertThat(SubjectRef.ensure("Re: [TCK-4] Printer down", "TCK-4")).isEqualTo("Re: [TCK-4] Printer down");
        assertThat(SubjectRef.ensure("", "TCK-4")).isEqualTo("[TCK-4]");
    }
}
