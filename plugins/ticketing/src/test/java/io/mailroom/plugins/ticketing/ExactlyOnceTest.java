package io.mailroom.plugins.ticketing;

import io.mailroom.api.Effect;
import io.mailroom.api.Outcome;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.directory.Directory;
import io.mailroom.api.message.MessageView;
import io.mailroom.api.outbound.OutgoingMail;
import io.mailroom.testkit.mail.MessageViewBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.mailroom.plugins.ticketing.TicketingFixture.ANN;
import static io.mailroom.plugins.ticketing.TicketingFixture.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExactlyOnceTest {

    private final TicketingFixture fixture = new TicketingFixture();

    private void annIsAContact() {
        Directory.Company acme = fixture.directory.addCompany("Acme", "acme.com");
        fixture.directory.addContact("ann@acme.com", "Ann", acme.id());
    }

    private MessageView printerDown(long id, String folder) {
        return MessageViewBuilder.message(id, SUPPORT).folder(folder).from("ann@acme.com", "Ann")
                .subject("Printer down").messageId("<printer@acme.com>").build();
    }

    @Test
    void the_same_message_delivered_twice_makes_one_ticket_and_one_acknowledgement() {
        annIsAContact();

        Outcome first = fixture.deliver(printerDown(41, "INBOX"));
        Outcome again = fixture.deliver(printerDown(41, "INBOX"));

        assertThat(first.data()).containsEntry("decision", "created");
        assertThat(again.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(again.data()).containsEntry("decision", "already_filed").containsEntry("ticket_ref", "TCK-1");
        assertThat(fixture.tickets(ANN, Map.of())).hasSize(1);
        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L);
        assertThat(fixture.outbox.sent()).hasSize(1);
    }

    @Test
    void the_same_mail_in_two_folders_makes_one_ticket_and_one_acknowledgement() {
        annIsAContact();

        fixture.deliver(printerDown(41, "INBOX"));
        Outcome copy = fixture.deliver(printerDown(57, "Archive"));

        assertThat(copy.status()).isEqualTo(Outcome.Status.DONE);
        assertThat(copy.data()).containsEntry("decision", "duplicate").containsEntry("ticket_ref", "TCK-1");
        assertThat(fixture.tickets(ANN, Map.of())).hasSize(1);
        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(41L);
        assertThat(fixture.outbox.sent()).hasSize(1);
    }

    @Test
    void the_same_mail_delivered_from_two_folders_at_once_makes_one_ticket() throws Exception {
        annIsAContact();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Outcome>> deliveries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long id = 41 + i;
                deliveries.add(() -> fixture.deliver(printerDown(id, "F" + id)));
            }
            for (Future<Outcome> outcome : pool.invokeAll(deliveries)) {
                assertThat(outcome.get().status()).isEqualTo(Outcome.Status.DONE);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(fixture.tickets(ANN, Map.of())).hasSize(1);
        assertThat(fixture.outbox.sent()).hasSize(1);
    }

    @Test
    void an_acknowledgement_lost_in_a_crash_is_sent_on_redelivery_once() {
        annIsAContact();
        AtomicBoolean outboxDown = new AtomicBoolean(true);
        fixture.context.outboundMail(mail -> {
            if (outboxDown.get()) {
                throw new TemporaryException("outbox unavailable");
            }
            return fixture.outbox.send(mail);
        });

        assertThatThrownBy(() -> fixture.deliver(printerDown(41, "INBOX"))).isInstanceOf(TemporaryException.class);
        outboxDown.set(false);
        Outcome redelivered = fixture.deliver(printerDown(41, "INBOX"));
        Outcome thirdTime = fixture.deliver(printerDown(41, "INBOX"));

        assertThat(redelivered.detail()).contains("acknowledged");
        assertThat(thirdTime.detail()).doesNotContain("acknowledged");
        assertThat(fixture.tickets(ANN, Map.of())).hasSize(1);
        assertThat(fixture.outbox.sent()).extracting(sent -> sent.mail().idempotencyKey())
                .containsExactly("ticketing:ack:1");
    }

    @Test
    void a_closed_ticket_answer_is_sent_once_across_redeliveries() {
        annIsAContact();
        fixture.deliver(printerDown(41, "INBOX"), Map.of("acknowledge", "false"));
        fixture.call(ANN, "POST", "/tickets/{ref}/close", Map.of("ref", "TCK-1"), Map.of(), null);
        MessageView reply = MessageViewBuilder.message(42, SUPPORT).from("ann@acme.com", "Ann")
                .subject("Re: [TCK-1]").build();

        fixture.deliver(reply);
        fixture.deliver(reply);

        assertThat(fixture.outbox.sent()).extracting(sent -> sent.mail()).extracting(OutgoingMail::autoSubmitted)
                .containsExactly("auto-replied");
        assertThat(fixture.notifier.notifications()).hasSize(1);
    }

    @Test
    void mail_left_for_review_is_listed_once_however_often_it_comes() {
        MessageView unknown = MessageViewBuilder.message(41, SUPPORT).from("zed@nowhere.test", "Zed").subject("Hi")
                .messageId("<zed@nowhere.test>").build();
        MessageView copy = MessageViewBuilder.message(57, SUPPORT).folder("Other").from("zed@nowhere.test", "Zed")
                .subject("Hi").messageId("<zed@nowhere.test>").build();

        fixture.deliver(unknown);
        Outcome again = fixture.deliver(unknown);
        Outcome inOtherFolder = fixture.deliver(copy);

        assertThat(again.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(again.effects()).containsExactly(new Effect.Flag());
        assertThat(inOtherFolder.status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(fixture.review(ANN)).hasSize(1);
    }
}
