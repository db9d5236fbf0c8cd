package io.mailroom.plugins.ticketing;

import io.mailroom.api.directory.Directory;
import io.mailroom.api.outbound.OutgoingMail;
import io.mailroom.api.route.RouteException;
import io.mailroom.api.route.RouteResponse;
import io.mailroom.testkit.mail.MessageViewBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.mailroom.plugins.ticketing.TicketingFixture.ANN;
import static io.mailroom.plugins.ticketing.TicketingFixture.BOB;
import static io.mailroom.plugins.ticketing.TicketingFixture.SALES;
import static io.mailroom.plugins.ticketing.TicketingFixture.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TicketRoutesTest {

    private final TicketingFixture fixture = new TicketingFixture();
    private Directory.Company acme;
    private Directory.Contact ann;
    private Directory.Company globex;

    /** TCK-1 and TCK-2 in Ann's Support mailbox (Acme, Globex), TCK-3 in Bob's Sales mailbox (Acme). */
    @BeforeEach
    void three_tickets_in_two_mailboxes() {
        acme = fixture.directory.addCompany("Acme", "acme.com");
        ann = fixture.directory.addContact("ann@acme.com", "Ann", acme.id());
        globex = fixture.directory.addCompany("Globex", "globex.test");
        Map<String, String> quiet = Map.of("acknowledge", "false");
        fixture.deliver(MessageViewBuilder.message(41, SUPPORT).from("ann@acme.com", "Ann").subject("Printer down")
                .build(), quiet);
        fixture.deliver(MessageViewBuilder.message(42, SUPPORT).from("gus@globex.test", "Gus").subject("Invoice")
                .build(), quiet);
        fixture.deliver(MessageViewBuilder.message(43, SALES).from("ann@acme.com", "Ann").subject("Quote").build(),
                quiet);
    }

    @Test
    void a_user_lists_the_tickets_of_their_own_mailboxes_only() {
        assertThat(fixture.tickets(ANN, Map.of())).extracting(ticket -> ticket.get("ref"))
                .containsExactly("TCK-2", "TCK-1");
        assertThat(fixture.tickets(BOB, Map.of())).extracting(ticket -> ticket.get("ref")).containsExactly("TCK-3");
        assertThat(fixture.tickets(99, Map.of())).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> all = (Map<String, Object>) fixture.superadmin("GET", "/tickets", Map.of(), Map.of(), null)
                .body();
        assertThat(all).containsEntry("total", 3L);
    }

    @Test
    void tickets_are_filtered_by_status_company_and_contact() {
        fixture.call(ANN, "POST", "/tickets/{ref}/close", Map.of("ref", "TCK-2"), Map.of(), null);

        assertThat(fixture.tickets(ANN, Map.of("status", "open"))).extracting(t -> t.get("ref")).containsExactly("TCK-1");
        assertThat(fixture.tickets(ANN, Map.of("status", "closed"))).extracting(t -> t.get("ref"))
                .containsExactly("TCK-2");
        assertThat(fixture.tickets(ANN, Map.of("company_id", Long.toString(globex.id())))).extracting(t -> t.get("ref"))
                .containsExactly("TCK-2");
        assertThat(fixture.tickets(ANN, Map.of("contact_id", Long.toString(ann.id())))).extracting(t -> t.get("ref"))
                .containsExactly("TCK-1");
    }

    @Test
    void the_list_pages_with_a_cursor() {
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) fixture.call(ANN, "GET", "/tickets", Map.of(),
                Map.of("limit", "1"), null).body();
        assertThat(first).containsEntry("total", 2L);
        assertThat((List<?>) first.get("items")).hasSize(1);

        List<Map<String, Object>> second = fixture.tickets(ANN, Map.of("limit", "1",
                "cursor", (String) first.get("next_cursor")));
        assertThat(second).extracting(t -> t.get("ref")).containsExactly("TCK-1");
    }

    @Test
    void bad_list_parameters_are_400_naming_the_parameter() {
        assertBadRequest(() -> fixture.tickets(ANN, Map.of("status", "pending")), "status");
        assertBadRequest(() -> fixture.tickets(ANN, Map.of("company_id", "acme")), "company_id");
        assertBadRequest(() -> fixture.tickets(ANN, Map.of("contact_id", "-1")), "contact_id");
        assertBadRequest(() -> fixture.tickets(ANN, Map.of("limit", "501")), "limit");
    }

    @Test
    void a_ticket_shows_its_messages_inbound_and_outbound() {
        fixture.call(ANN, "POST", "/tickets/{ref}/reply", Map.of("ref", "TCK-1"), Map.of(), Map.of("text", "On it."));

        Map<String, Object> ticket = fixture.ticket(ANN, "TCK-1");

        assertThat(ticket).containsEntry("ref", "TCK-1").containsEntry("subject", "Printer down");
        assertThat(ticket.get("message_ids")).asList().containsExactly(41L, 9_000_000L);
        assertThat(ticket.get("messages")).asList().extracting(message -> (Object) ((Map<?, ?>) message).get("direction"))
                .containsExactly("inbound", "outbound");
    }

    @Test
    void another_users_ticket_is_not_found_on_every_route() {
        Map<String, String> theirs = Map.of("ref", "TCK-3");

        assertNotFound(() -> fixture.ticket(ANN, "TCK-3"));
        assertNotFound(() -> fixture.call(ANN, "POST", "/tickets/{ref}/close", theirs, Map.of(), null));
        assertNotFound(() -> fixture.call(ANN, "POST", "/tickets/{ref}/reopen", theirs, Map.of(), null));
        assertNotFound(() -> fixture.call(ANN, "POST", "/tickets/{ref}/reply", theirs, Map.of(), Map.of("text", "x")));
        assertNotFound(() -> fixture.ticket(ANN, "TCK-404"));
        assertThat(fixture.ticket(BOB, "TCK-3")).containsEntry("status", "open");
        assertThat(fixture.outbox.sent()).isEmpty();
    }

    @Test
    void a_ticket_closes_and_reopens() {
        RouteResponse closed = fixture.call(ANN, "POST", "/tickets/{ref}/close", Map.of("ref", "TCK-1"), Map.of(), null);
        assertThat(TicketingFixture.json(closed)).containsEntry("status", "closed")
                .containsEntry("closed_at", "2026-11-29T12:00:00Z");

        RouteResponse reopened = fixture.call(ANN, "POST", "/tickets/{ref}/reopen", Map.of("ref", "TCK-1"), Map.of(),
                null);
        assertThat(TicketingFixture.json(reopened)).containsEntry("status", "open").containsEntry("closed_at", null);
        assertThat(fixture.ticket(ANN, "TCK-1")).containsEntry("status", "open");
    }

    @Test
    void a_reply_goes_through_the_outbox_with_the_reference_and_answers_the_latest_inbound_message() {
        fixture.deliver(MessageViewBuilder.message(50, SUPPORT).from("ann@acme.com", "Ann").subject("Re: [TCK-1]")
                .build());

        RouteResponse response = fixture.call(ANN, "POST", "/tickets/{ref}/reply", Map.of("ref", "TCK-1"), Map.of(),
                Map.of("text", "Fixed.", "html", "<p>Fixed.</p>", "attachments", List.of()));

        assertThat(response.status()).isEqualTo(201);
        assertThat(TicketingFixture.json(response)).containsEntry("id", 9_000_000L).containsEntry("ticket_ref", "TCK-1")
                .containsEntry("direction", "outbound").containsEntry("reply_to_message_id", 50L);
        OutgoingMail mail = fixture.outbox.sent().getLast().mail();
        assertThat(mail.mailboxId()).isEqualTo(SUPPORT);
        assertThat(mail.subject()).isEqualTo("[TCK-1] Printer down");
        assertThat(mail.replyToMessageId()).isEqualTo(50L);
        assertThat(mail.text()).isEqualTo("Fixed.");
        assertThat(mail.html()).isEqualTo("<p>Fixed.</p>");
        assertThat(mail.autoSubmitted()).isNull();
        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L, 50L, 9_000_000L);
    }

    @Test
    void a_reply_retried_with_its_idempotency_key_is_sent_and_filed_once() {
        Map<String, Object> body = Map.of("text", "Fixed.", "idempotency_key", "k1");

        fixture.call(ANN, "POST", "/tickets/{ref}/reply", Map.of("ref", "TCK-1"), Map.of(), body);
        fixture.call(ANN, "POST", "/tickets/{ref}/reply", Map.of("ref", "TCK-1"), Map.of(), body);

        assertThat(fixture.outbox.sent()).hasSize(1);
        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L, 9_000_000L);
    }

    @Test
    void a_reply_is_validated_field_by_field() {
        Map<String, String> ref = Map.of("ref", "TCK-1");
        Map<String, Object> withAttachment = new HashMap<>(Map.of("text", "See attached."));
        withAttachment.put("attachments", List.of(Map.of("filename", "a.txt", "content_type", "text/plain",
                "content_base64", "aGk=")));

        assertBadRequest(() -> fixture.call(ANN, "POST", "/tickets/{ref}/reply", ref, Map.of(), Map.of()), "text");
        assertBadRequest(() -> fixture.call(ANN, "POST", "/tickets/{ref}/reply", ref, Map.of(),
                Map.of("text", "  ")), "text");
        assertBadRequest(() -> fixture.call(ANN, "POST", "/tickets/{ref}/reply", ref, Map.of(),
                Map.of("text", 5)), "text");
        assertBadRequest(() -> fixture.call(ANN, "POST", "/tickets/{ref}/reply", ref, Map.of(),
                Map.of("html", List.of())), "html");
        assertBadRequest(() -> fixture.call(ANN, "POST", "/tickets/{ref}/reply", ref, Map.of(),
                Map.of("text", "x", "attachments", "a.txt")), "attachments");
        assertThatThrownBy(() -> fixture.call(ANN, "POST", "/tickets/{ref}/reply", ref, Map.of(), withAttachment))
                .isInstanceOfSatisfying(RouteException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("attachments_not_supported");
                    assertThat(e.path()).isEqualTo("attachments");
                });
        assertBadRequest(() -> fixture.call(ANN, "POST", "/tickets/{ref}/reply", ref, Map.of(), List.of()), "");
        assertThat(fixture.outbox.sent()).isEmpty();
    }

    @Test
    void a_mailbox_that_cannot_send_answers_400() {
        fixture.context.outboundMail(mail -> {
            throw new IllegalArgumentException("the mailbox has no SMTP settings");
        });

        assertThatThrownBy(() -> fixture.call(ANN, "POST", "/tickets/{ref}/reply", Map.of("ref", "TCK-1"), Map.of(),
                Map.of("text", "x"))).isInstanceOfSatisfying(RouteException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("cannot_send");
                });
        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L);
    }

    private static void assertBadRequest(Runnable call, String path) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RouteException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.path()).isEqualTo(path);
        });
    }

    private static void assertNotFound(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RouteException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }
}
