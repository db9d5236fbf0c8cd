package io.mailroom.plugins.ticketing;

import io.mailroom.api.Outcome;
import io.mailroom.api.directory.Directory;
import io.mailroom.api.message.Classification;
import io.mailroom.api.outbound.OutgoingMail;
import io.mailroom.testkit.context.RecordingNotifier;
import io.mailroom.testkit.mail.MessageViewBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.mailroom.plugins.ticketing.TicketingFixture.ANN;
import static io.mailroom.plugins.ticketing.TicketingFixture.BOB;
import static io.mailroom.plugins.ticketing.TicketingFixture.SALES;
import static io.mailroom.plugins.ticketing.TicketingFixture.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

class ReplyMatchingTest {

    private final TicketingFixture fixture = new TicketingFixture();

    @BeforeEach
    void a_ticket_from_ann() {
        Directory.Company acme = fixture.directory.addCompany("Acme", "acme.com");
        fixture.directory.addContact("ann@acme.com", "Ann", acme.id());
        fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("ann@acme.com", "Ann").subject("Printer down")
                .messageId("<first@acme.com>").build(), Map.of("acknowledge", "false"));
    }

    @Test
    void a_reply_with_the_reference_in_its_subject_is_added_to_the_ticket() {
        Outcome outcome = fixture.deliver(MessageViewBuilder.message(42, SUPPORT).from("ann@acme.com", "Ann")
                .subject("Re: still broken [tck-1]").build());

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(outcome.data()).containsEntry("decision", "added").containsEntry("ticket_ref", "TCK-1");
        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L, 42L);
        assertThat(fixture.tickets(ANN, Map.of())).hasSize(1);
    }

    @Test
    void a_reply_by_in_reply_to_alone_is_added_to_the_ticket() {
        fixture.deliver(MessageViewBuilder.message(42, SUPPORT).from("someone@else.test", "").subject("Re: Printer down")
                .inReplyTo("<first@acme.com>").build());

        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L, 42L);
    }

    @Test
    void a_reply_by_references_alone_is_added_to_the_ticket() {
        fixture.deliver(MessageViewBuilder.message(42, SUPPORT).from("ann@acme.com", "Ann").subject("Re: Printer down")
                .messageId("<second@acme.com>").inReplyTo("<first@acme.com>").build());
        fixture.deliver(MessageViewBuilder.message(43, SUPPORT).from("ann@acme.com", "Ann").subject("Re: Re: Printer")
                .references("<unknown@elsewhere>", "<second@acme.com>").build());

        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L, 42L, 43L);
    }

    @Test
    void a_reply_to_a_closed_ticket_does_not_reopen_it_and_is_answered_and_notified() {
        fixture.call(ANN, "POST", "/tickets/{ref}/close", Map.of("ref", "TCK-1"), Map.of(), null);

        Outcome outcome = fixture.deliver(MessageViewBuilder.message(42, SUPPORT).from("ann@acme.com", "Ann")
                .subject("Re: [TCK-1] Printer down").build());

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(outcome.data()).containsEntry("decision", "closed_reply");
        assertThat(fixture.ticket(ANN, "TCK-1")).containsEntry("status", "closed");
        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L, 42L);
        assertThat(fixture.outbox.sent()).singleElement().satisfies(sent -> {
            OutgoingMail mail = sent.mail();
            assertThat(mail.replyToMessageId()).isEqualTo(42L);
            assertThat(mail.to()).isEmpty();
            assertThat(mail.autoSubmitted()).isEqualTo("auto-replied");
            assertThat(mail.subject()).contains("[TCK-1]");
            assertThat(mail.text()).contains("TCK-1 is closed");
        });
        assertThat(fixture.notifier.notifications()).containsExactly(new RecordingNotifier.Notification(ANN, SUPPORT,
                "ticket_reply_to_closed", "A reply to closed ticket TCK-1 arrived from ann@acme.com."));
    }

    /** Owner 0: nobody to notify; the reply is still filed and answered (the host refuses user 0). */
    @Test
    void a_reply_to_a_closed_ticket_of_a_mailbox_nobody_owns_is_answered_without_a_notification() {
        long unowned = 9;
        fixture.mailboxes.add(new io.mailroom.api.mailbox.MailboxInfo(unowned, "Shared", "shared@mailroom.test", 0, null,
                "ticketing"));
        String ref = (String) fixture.deliver(MessageViewBuilder.message(51, unowned).from("ann@acme.com", "Ann")
                .subject("Fax down").messageId("<fax@acme.com>").build(), Map.of("acknowledge", "false")).data().get("ticket_ref");
        fixture.superadmin("POST", "/tickets/{ref}/close", Map.of("ref", ref), Map.of(), null);

        Outcome outcome = fixture.deliver(MessageViewBuilder.message(52, unowned).from("ann@acme.com", "Ann")
                .subject("Re: [" + ref + "] Fax down").build());

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(outcome.data()).containsEntry("decision", "closed_reply");
        assertThat(fixture.outbox.sent()).singleElement()
                .satisfies(sent -> assertThat(sent.mail().subject()).contains("[" + ref + "]"));
        assertThat(fixture.notifier.notifications()).isEmpty();
    }

    @Test
    void the_closed_ticket_answer_uses_the_mailboxs_template() {
        fixture.templates.add(7, "Closed: {{subject}}", "{{ref}} is closed, {{requester_name}}.", "<p>{{ref}}</p>");
        fixture.call(ANN, "POST", "/tickets/{ref}/close", Map.of("ref", "TCK-1"), Map.of(), null);

        fixture.deliver(MessageViewBuilder.message(42, SUPPORT).from("ann@acme.com", "Ann").inReplyTo("<first@acme.com>")
                .subject("Re: Printer down").build(), Map.of("closed_template_id", "7"));

        assertThat(fixture.outbox.sent()).singleElement().satisfies(sent -> {
            assertThat(sent.mail().subject()).isEqualTo("[TCK-1] Closed: Printer down");
            assertThat(sent.mail().text()).isEqualTo("TCK-1 is closed, Ann.");
            assertThat(sent.mail().html()).isEqualTo("<p>TCK-1</p>");
        });
    }

    @Test
    void an_automatic_reply_to_a_closed_ticket_is_filed_but_not_answered() {
        fixture.call(ANN, "POST", "/tickets/{ref}/close", Map.of("ref", "TCK-1"), Map.of(), null);

        fixture.deliver(MessageViewBuilder.message(42, SUPPORT).from("ann@acme.com", "Ann")
                .subject("Out of office: [TCK-1]").classification(Classification.AUTO_REPLY).build());

        assertThat(fixture.outbox.sent()).isEmpty();
        assertThat(fixture.notifier.notifications()).isEmpty();
        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L, 42L);
    }

    @Test
    void a_reference_to_another_mailboxs_ticket_opens_a_new_ticket_instead() {
        Outcome outcome = fixture.deliver(MessageViewBuilder.message(42, SALES).from("ann@acme.com", "Ann")
                .subject("About [TCK-1]").inReplyTo("<first@acme.com>").build(), Map.of("acknowledge", "false"));

        assertThat(outcome.data()).containsEntry("decision", "created").containsEntry("ticket_ref", "TCK-2");
        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L);
        assertThat(fixture.ticket(BOB, "TCK-2").get("message_ids")).asList().containsExactly(42L);
    }
}
