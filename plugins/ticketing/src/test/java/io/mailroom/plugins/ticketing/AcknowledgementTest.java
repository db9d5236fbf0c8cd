package io.mailroom.plugins.ticketing;

import io.mailroom.api.Outcome;
import io.mailroom.api.directory.Directory;
import io.mailroom.api.message.Classification;
import io.mailroom.api.outbound.OutgoingMail;
import io.mailroom.testkit.mail.MessageViewBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static io.mailroom.plugins.ticketing.TicketingFixture.ANN;
import static io.mailroom.plugins.ticketing.TicketingFixture.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

class AcknowledgementTest {

    private final TicketingFixture fixture = new TicketingFixture();

    @BeforeEach
    void ann_is_a_contact() {
        Directory.Company acme = fixture.directory.addCompany("Acme", "acme.com");
        fixture.directory.addContact("ann@acme.com", "Ann", acme.id());
    }

    @Test
    void a_new_ticket_is_acknowledged_with_its_reference_in_the_subject() {
        Outcome outcome = fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("ann@acme.com", "Ann")
                .subject("Printer down").build());

        assertThat(outcome.detail()).contains("opened ticket TCK-1").contains("acknowledged");
        assertThat(fixture.outbox.sent()).singleElement().satisfies(sent -> {
            OutgoingMail mail = sent.mail();
            assertThat(mail.mailboxId()).isEqualTo(SUPPORT);
            assertThat(mail.replyToMessageId()).isEqualTo(41L);
            assertThat(mail.to()).isEmpty();
            assertThat(mail.subject()).isEqualTo("[TCK-1] Printer down");
            assertThat(mail.autoSubmitted()).isEqualTo("auto-replied");
            assertThat(mail.idempotencyKey()).isEqualTo("ticketing:ack:1");
            assertThat(mail.text()).contains("TCK-1");
        });
        // the acknowledgement is not filed as a ticket message: the host stores it, its reply threads back by [TCK-1]
        Outcome reply = fixture.deliver(MessageViewBuilder.message(42, SUPPORT).from("ann@acme.com", "Ann")
                .subject("Re: [TCK-1] Printer down").build());
        assertThat(reply.data()).containsEntry("decision", "added");
        assertThat(fixture.outbox.sent()).hasSize(1);
    }

    @Test
    void the_acknowledgement_uses_the_mailboxs_template_and_keeps_the_reference() {
        fixture.templates.add(5, "We got it: {{subject}}", "Hello {{requester_name}}, see {{ref}}.", null);

        fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("ann@acme.com", "Ann").subject("Printer down")
                .build(), Map.of("ack_template_id", "5"));

        assertThat(fixture.outbox.sent()).singleElement().satisfies(sent -> {
            assertThat(sent.mail().subject()).isEqualTo("[TCK-1] We got it: Printer down");
            assertThat(sent.mail().text()).isEqualTo("Hello Ann, see TCK-1.");
        });
    }

    @Test
    void a_missing_template_falls_back_to_the_built_in_text() {
        fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("ann@acme.com", "Ann").subject("Printer down")
                .build(), Map.of("ack_template_id", "99"));

        assertThat(fixture.outbox.sent()).singleElement()
                .satisfies(sent -> assertThat(sent.mail().text()).contains("opened ticket TCK-1"));
    }

    @Test
    void no_acknowledgement_when_the_mailbox_turns_it_off() {
        fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("ann@acme.com", "Ann").subject("Printer down")
                .build(), Map.of("acknowledge", "false"));

        assertThat(fixture.tickets(ANN, Map.of())).hasSize(1);
        assertThat(fixture.outbox.sent()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Classification.class, names = {"AUTO_REPLY", "BOUNCE", "BULK"})
    void automatic_mail_gets_a_ticket_but_no_acknowledgement(Classification classification) {
        fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("ann@acme.com", "Ann").subject("Auto")
                .classification(classification).build());

        assertThat(fixture.tickets(ANN, Map.of())).hasSize(1);
        assertThat(fixture.outbox.sent()).isEmpty();
    }

    @Test
    void mail_from_the_mailboxs_own_address_is_not_acknowledged() {
        fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("Support@Mailroom.test", "Support")
                .subject("Note to self").build(), Map.of("create_for_unknown_senders", "true"));

        assertThat(fixture.tickets(ANN, Map.of())).hasSize(1);
        assertThat(fixture.outbox.sent()).isEmpty();
    }
}
