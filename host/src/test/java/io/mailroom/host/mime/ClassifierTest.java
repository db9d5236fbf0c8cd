package io.mailroom.host.mime;

import io.mailroom.api.message.Classification;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClassifierTest {

    private final Classifier classifier = new Classifier();

    @Test
    void a_vacation_reply_with_auto_submitted_is_an_auto_reply() {
        assertThat(classify(Samples.parse("vacation-reply.eml"))).isEqualTo(Classification.AUTO_REPLY);
    }

    @Test
    void a_dsn_multipart_report_is_a_bounce_even_though_it_is_auto_submitted() {
        assertThat(classify(Samples.parse("dsn-bounce.eml"))).isEqualTo(Classification.BOUNCE);
    }

    @Test
    void a_mailing_list_message_with_list_id_is_bulk() {
        assertThat(classify(Samples.parse("mailing-list.eml"))).isEqualTo(Classification.BULK);
    }

    @Test
    void a_newsletter_with_precedence_bulk_is_bulk() {
        assertThat(classify(Samples.parse("newsletter.eml"))).isEqualTo(Classification.BULK);
    }

    @Test
    void a_normal_reply_stays_normal() {
        assertThat(classify(Samples.parse("normal-reply.eml"))).isEqualTo(Classification.NORMAL);
        assertThat(classify(Samples.parse("nested-rfc822.eml"))).isEqualTo(Classification.NORMAL);
    }

    @Test
    void auto_submitted_no_is_not_an_auto_reply() {
        assertThat(classify(message("Auto-Submitted: no\nSubject: Hello"))).isEqualTo(Classification.NORMAL);
    }

    @Test
    void x_autoreply_and_precedence_auto_reply_are_auto_replies() {
        assertThat(classify(message("X-Autoreply: yes\nSubject: Re: Hello"))).isEqualTo(Classification.AUTO_REPLY);
        assertThat(classify(message("Precedence: auto_reply\nSubject: Hello"))).isEqualTo(Classification.AUTO_REPLY);
        assertThat(classify(message("X-Autorespond: Thanks\nSubject: Hello"))).isEqualTo(Classification.AUTO_REPLY);
    }

    @Test
    void an_auto_reply_to_a_list_is_an_auto_reply_not_bulk() {
        assertThat(classify(message("Auto-Submitted: auto-replied\nList-Id: <dev.example.org>\nSubject: x")))
                .isEqualTo(Classification.AUTO_REPLY);
    }

    @Test
    void a_subject_alone_is_a_weaker_signal_than_list_headers() {
        assertThat(classify(message("Subject: Abwesenheitsnotiz: Rechnung"))).isEqualTo(Classification.AUTO_REPLY);
        assertThat(classify(message("Subject: Out of Office: back Monday"))).isEqualTo(Classification.AUTO_REPLY);
        assertThat(classify(message("List-Id: <dev.example.org>\nSubject: Out of office ideas")))
                .isEqualTo(Classification.BULK);
        assertThat(classify(message("Subject: Re: my out of office reply did not work")))
                .isEqualTo(Classification.NORMAL);
    }

    @Test
    void a_mailer_daemon_with_a_failure_subject_is_a_bounce_without_a_report() {
        assertThat(classify(message("From: MAILER-DAEMON@mx.example.com\nSubject: failure notice")))
                .isEqualTo(Classification.BOUNCE);
        assertThat(classify(message("From: postmaster@example.com\nSubject: Undeliverable: Invoice")))
                .isEqualTo(Classification.BOUNCE);
        assertThat(classify(message("From: postmaster@example.com\nSubject: New policy")))
                .isEqualTo(Classification.NORMAL);
    }

    @Test
    void an_empty_return_path_is_automatic_mail_and_a_real_one_is_not() {
        assertThat(classify(message("Return-Path: <>\nSubject: Thanks for your message"))).isEqualTo(Classification.AUTO_REPLY);
        assertThat(classify(message("Return-Path: < >\nSubject: Hello"))).isEqualTo(Classification.AUTO_REPLY);
        assertThat(classify(message("Return-Path: <ann@example.com>\nSubject: Hello"))).isEqualTo(Classification.NORMAL);
    }

    @Test
    void x_failed_recipients_is_a_bounce() {
        assertThat(classify(message("X-Failed-Recipients: nobody@example.net\nSubject: Mail delivery failed")))
                .isEqualTo(Classification.BOUNCE);
    }

    @Test
    void a_read_receipt_is_machine_generated() {
        assertThat(classify(message("Content-Type: multipart/report; report-type=disposition-notification;"
                + " boundary=r\nSubject: Read: Invoice\n\n--r\nContent-Type: text/plain\n\nread\n--r--")))
                .isEqualTo(Classification.AUTO_REPLY);
    }

    private Classification classify(ParsedMessage message) {
        return classifier.classify(message);
    }

    private static ParsedMessage message(String headers) {
        String text = (headers.startsWith("From:") ? "" : "From: someone@example.com\n") + "To: support@example.com\n"
                + headers;
        return Samples.parseText(text.contains("\n\n") ? text : text + "\n\nbody");
    }
}
