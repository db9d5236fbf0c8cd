package io.mailroom.plugins.ticketing;

import io.mailroom.api.Outcome;
import io.mailroom.api.directory.Directory;
import io.mailroom.api.message.MessageView;
import io.mailroom.api.route.RouteException;
import io.mailroom.api.route.RouteResponse;
import io.mailroom.testkit.mail.MessageViewBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.mailroom.plugins.ticketing.TicketingFixture.ANN;
import static io.mailroom.plugins.ticketing.TicketingFixture.BOB;
import static io.mailroom.plugins.ticketing.TicketingFixture.SALES;
import static io.mailroom.plugins.ticketing.TicketingFixture.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReviewRoutesTest {

    private final TicketingFixture fixture = new TicketingFixture();
    private final MessageView zed = MessageViewBuilder.message(41, SUPPORT).from("zed@nowhere.test", "Zed")
            .subject("Can you help?").messageId("<zed@nowhere.test>").build();

    @BeforeEach
    void unknown_senders_write_to_both_mailboxes() {
        fixture.deliver(zed);
        fixture.deliver(MessageViewBuilder.message(42, SALES).from("yan@nowhere.test", "Yan").subject("Price?").build());
    }

    @Test
    void each_user_sees_the_review_list_of_their_own_mailboxes() {
        assertThat(fixture.review(ANN)).extracting(item -> item.get("message_id")).containsExactly(41L);
        assertThat(fixture.review(BOB)).extracting(item -> item.get("message_id")).containsExactly(42L);
        @SuppressWarnings("unchecked")
        Map<String, Object> all = (Map<String, Object>) fixture.superadmin("GET", "/tickets/review", Map.of(), Map.of(),
                null).body();
        assertThat(all).containsEntry("total", 2L);
    }

    @Test
    void creating_from_review_raises_the_ticket_and_acknowledges_it() {
        RouteResponse created = decide(ANN, 41, "create");

        assertThat(created.status()).isEqualTo(201);
        assertThat(TicketingFixture.json(created)).containsEntry("ref", "TCK-1").containsEntry("contact_id", null)
                .containsEntry("requester_email", "zed@nowhere.test").containsEntry("subject", "Can you help?");
        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L);
        assertThat(fixture.review(ANN)).isEmpty();
        assertThat(fixture.outbox.sent()).singleElement().satisfies(sent -> {
            assertThat(sent.mail().replyToMessageId()).isEqualTo(41L);
            assertThat(sent.mail().subject()).isEqualTo("[TCK-1] Can you help?");
        });
    }

    @Test
    void a_sender_who_became_a_contact_meanwhile_is_linked_when_created() {
        Directory.Company nowhere = fixture.directory.addCompany("Nowhere", "nowhere.test");

        decide(ANN, 41, "create");

        Directory.Contact contact = fixture.directory.contactByEmail("zed@nowhere.test").orElseThrow();
        assertThat(fixture.ticket(ANN, "TCK-1")).containsEntry("contact_id", contact.id())
                .containsEntry("company_id", nowhere.id());
    }

    @Test
    void after_creating_the_message_redelivered_is_already_on_the_ticket() {
        decide(ANN, 41, "create");

        Outcome again = fixture.deliver(zed);

        assertThat(again.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(again.data()).containsEntry("decision", "already_filed").containsEntry("ticket_ref", "TCK-1");
        assertThat(fixture.outbox.sent()).hasSize(1);
    }

    @Test
    void dismissing_drops_it_from_the_list_and_a_redelivery_stays_skipped() {
        RouteResponse dismissed = decide(ANN, 41, "dismiss");

        assertThat(TicketingFixture.json(dismissed)).containsEntry("state", "dismissed");
        assertThat(fixture.review(ANN)).isEmpty();
        Outcome again = fixture.deliver(zed);
        assertThat(again.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(again.data()).containsEntry("decision", "dismissed");
        assertThat(fixture.tickets(ANN, Map.of())).isEmpty();
    }

    @Test
    void a_message_is_decided_once() {
        decide(ANN, 41, "dismiss");

        assertThatThrownBy(() -> decide(ANN, 41, "create")).isInstanceOfSatisfying(RouteException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.error()).isEqualTo("review_already_decided");
        });
    }

    @Test
    void another_users_review_item_is_not_found() {
        assertThatThrownBy(() -> decide(ANN, 42, "create")).isInstanceOfSatisfying(RouteException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> decide(ANN, 999, "dismiss")).isInstanceOfSatisfying(RouteException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThat(fixture.review(BOB)).hasSize(1);
    }

    @Test
    void the_action_and_the_message_id_are_validated() {
        assertThatThrownBy(() -> decide(ANN, 41, "delete")).isInstanceOfSatisfying(RouteException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.path()).isEqualTo("action");
        });
        assertThatThrownBy(() -> fixture.call(ANN, "POST", "/tickets/review/{message_id}",
                Map.of("message_id", "abc"), Map.of(), Map.of("action", "create")))
                .isInstanceOfSatisfying(RouteException.class, e -> assertThat(e.path()).isEqualTo("message_id"));
    }

    private RouteResponse decide(long caller, long messageId, String action) {
        return fixture.call(caller, "POST", "/tickets/review/{message_id}", Map.of("message_id", Long.toString(messageId)),
                Map.of(), Map.of("action", action));
    }
}
