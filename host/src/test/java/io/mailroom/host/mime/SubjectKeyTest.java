package io.mailroom.host.mime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectKeyTest {

    @Test
    void reply_and_forward_prefixes_are_stripped_repeatedly_in_any_case() {
        assertThat(SubjectKey.of("Re: RE: Fwd: FW: re: Invoice 42")).isEqualTo("invoice 42");
        assertThat(SubjectKey.of("Fw:Invoice 42")).isEqualTo("invoice 42");
    }

    @Test
    void prefixes_in_other_languages_are_stripped() {
        assertThat(SubjectKey.of("AW: WG: Antw: Rechnung")).isEqualTo("rechnung");
        assertThat(SubjectKey.of("SV: VS: Faktura")).isEqualTo("faktura");
        assertThat(SubjectKey.of("Réf : TR: RIF: Odp: Facture")).isEqualTo("facture");
        assertThat(SubjectKey.of("RV: RES: ENC: YNT: Fatura")).isEqualTo("fatura");
        assertThat(SubjectKey.of("Ответ: Счёт")).isEqualTo("счёт");
        assertThat(SubjectKey.of("回复：发票")).isEqualTo("发票");
        assertThat(SubjectKey.of("ΑΠ: Τιμολόγιο")).isEqualTo("τιμολόγιο");
    }

    @Test
    void counters_and_bracketed_tags_are_stripped() {
        assertThat(SubjectKey.of("Re[2]: Re(3): RE^4: Status")).isEqualTo("status");
        assertThat(SubjectKey.of("[EXT] AW: [support] Re: [EXTERNAL] Status")).isEqualTo("status");
        assertThat(SubjectKey.of("[list-name] Status (fwd)")).isEqualTo("status");
    }

    @Test
    void whitespace_width_and_case_are_folded() {
        assertThat(SubjectKey.of("  Re:   Invoice\t 42  ")).isEqualTo("invoice 42");
        assertThat(SubjectKey.of("Ｒｅ： ＩＮＶＯＩＣＥ 42")).isEqualTo("invoice 42");
    }

    @Test
    void words_that_merely_start_like_a_prefix_are_kept() {
        assertThat(SubjectKey.of("Review: the draft")).isEqualTo("review: the draft");
        assertThat(SubjectKey.of("Trip report")).isEqualTo("trip report");
        assertThat(SubjectKey.of("Re-launch plans")).isEqualTo("re-launch plans");
    }

    @Test
    void empty_and_prefix_only_subjects_give_an_empty_key() {
        assertThat(SubjectKey.of(null)).isEmpty();
        assertThat(SubjectKey.of("")).isEmpty();
        assertThat(SubjectKey.of("  ")).isEmpty();
        assertThat(SubjectKey.of("Re:")).isEmpty();
        assertThat(SubjectKey.of("Re: [list]")).isEmpty();
    }
}
