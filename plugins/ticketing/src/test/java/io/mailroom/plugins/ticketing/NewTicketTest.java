package io.mailroom.plugins.ticketing;

import io.mailroom.api.Effect;
import io.mailroom.api.Outcome;
import io.mailroom.api.directory.Directory;
import io.mailroom.api.mailbox.MailboxInfo;
import io.mailroom.testkit.mail.MessageViewBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.mailroom.plugins.ticketing.TicketingFixture.ANN;
import static io.mailroom.plugins.ticketing.TicketingFixture.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

class NewTicketTest {

    private final TicketingFixture fixture = new TicketingFixture();

    @Test
    void a_known_contact_gets_a_ticket_under_their_company() {
        Directory.Company acme = fixture.directory.addCompany("Acme", "acme.com");
        Directory.Contact ann = fixture.directory.addContact("ann@acme.com", "Ann", acme.id());

        Outcome outcome = fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("Ann@Acme.com", "Ann")
                .subject("Printer down").build());

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(outcome.effects()).isEmpty();
        assertThat(outcome.data()).containsEntry("decision", "created").containsEntry("ticket_ref", "TCK-1");
        Map<String, Object> ticket = fixture.ticket(ANN, "TCK-1");
        assertThat(ticket).containsEntry("subject", "Printer down").containsEntry("status", "open")
                .containsEntry("contact_id", ann.id()).containsEntry("company_id", acme.id())
                .containsEntry("mailbox_id", SUPPORT).containsEntry("requester_email", "ann@acme.com");
        assertThat(ticket.get("message_ids")).asList().containsExactly(41L);
    }

    @Test
    void an_unknown_address_of_a_company_domain_becomes_its_contact() {
        Directory.Company acme = fixture.directory.addCompany("Acme", "acme.com");

        fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("carl@acme.com", "Carl").subject("Hello").build());

        Directory.Contact carl = fixture.directory.contactByEmail("carl@acme.com").orElseThrow();
        assertThat(carl.companyId()).isEqualTo(acme.id());
        assertThat(carl.name()).isEqualTo("Carl");
        assertThat(fixture.ticket(ANN, "TCK-1")).containsEntry("contact_id", carl.id())
                .containsEntry("company_id", acme.id());
    }

    @Test
    void the_mailboxs_company_is_the_fallback_and_an_existing_contact_is_still_linked() {
        fixture.mailboxes.add(new MailboxInfo(SUPPORT, "Support", "support@mailroom.test", ANN, 77L, "ticketing"));
        Directory.Contact dora = fixture.directory.addContact("dora@gmail.test", "Dora", null);

        fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("dora@gmail.test", "Dora").subject("A").build());
        fixture.deliver(MessageViewBuilder.message(42, SUPPORT).from("eve@yahoo.test", "Eve").subject("B").build());

        assertThat(fixture.ticket(ANN, "TCK-1")).containsEntry("company_id", 77L).containsEntry("contact_id", dora.id());
        assertThat(fixture.ticket(ANN, "TCK-2")).containsEntry("company_id", 77L).containsEntry("contact_id", null)
                .containsEntry("requester_email", "eve@yahoo.test");
        assertThat(fixture.directory.contactByEmail("eve@yahoo.test")).isEmpty();
    }

    @Test
    void an_unknown_sender_makes_a_ticket_without_contact_when_the_mailbox_says_so() {
        Outcome outcome = fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("zed@nowhere.test", "Zed")
                .subject("Hi").build(), Map.of("create_for_unknown_senders", "true"));

        assertThat(outcome.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(fixture.ticket(ANN, "TCK-1")).containsEntry("contact_id", null).containsEntry("company_id", null)
                .containsEntry("requester_email", "zed@nowhere.test");
        assertThat(fixture.review(ANN)).isEmpty();
    }

    @Test
    void an_unknown_sender_is_flagged_skipped_and_listed_for_review_by_default() {
        Outcome outcome = fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("zed@nowhere.test", "Zed")
                .subject("Hi").messageId("<zed-1@nowhere.test>").build());

        assertThat(outcome.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(outcome.effects()).containsExactly(new Effect.Flag());
        assertThat(outcome.data()).containsEntry("decision", "review");
        assertThat(fixture.tickets(ANN, Map.of())).isEmpty();
        assertThat(fixture.outbox.sent()).isEmpty();
        assertThat(fixture.review(ANN)).singleElement().satisfies(item -> assertThat(item)
                .containsEntry("message_id", 41L).containsEntry("mailbox_id", SUPPORT)
                .containsEntry("subject", "Hi").containsEntry("message_id_header", "zed-1@nowhere.test")
                .containsEntry("from", Map.of("name", "Zed", "email", "zed@nowhere.test")));
    }

    @Test
    void the_reference_prefix_is_a_setting_and_numbers_never_repeat() {
        Directory.Company acme = fixture.directory.addCompany("Acme", "acme.com");
        fixture.directory.addContact("ann@acme.com", "Ann", acme.id());

        Outcome first = fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("ann@acme.com", "Ann").subject("A")
                .build(), Map.of("ref_prefix", "SUP"));
        Outcome second = fixture.deliver(MessageViewBuilder.message(42, SUPPORT).from("ann@acme.com", "Ann")
                .subject("B").build());

        assertThat(first.data()).containsEntry("ticket_ref", "SUP-1");
        assertThat(second.data()).containsEntry("ticket_ref", "TCK-2");
    }

    @Test
    void a_message_without_a_sender_is_left_for_review_or_raised_without_requester() {
        Outcome reviewed = fixture.deliver(MessageViewBuilder.message(41, SUPPORT).withoutFrom().subject("?").build());
        Outcome created = fixture.deliver(MessageViewBuilder.message(42, SUPPORT).withoutFrom().subject("!").build(),
                Map.of("create_for_unknown_senders", "true"));

        assertThat(reviewed.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(created.data()).containsEntry("decision", "created");
        assertThat(fixture.ticket(ANN, "TCK-1")).containsEntry("requester_email", null).containsEntry("contact_id", null);
        assertThat(fixture.outbox.sent()).isEmpty();
    }
}
