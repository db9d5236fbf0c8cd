package io.mailroom.plugins.ticketing;

import io.mailroom.api.Outcome;
import io.mailroom.api.directory.Directory;
import io.mailroom.api.message.MessageView;
import io.mailroom.testkit.mail.MessageViewBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static io.mailroom.plugins.ticketing.TicketingFixture.ANN;
import static io.mailroom.plugins.ticketing.TicketingFixture.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reply processed before the mail it answers (both in one import, or the reply found first in
 * another folder): the parent joins the ticket the reply opened instead of opening a second one.
 */
class LateParentTest {

    private static final Map<String, String> QUIET = Map.of("acknowledge", "false");

    private final TicketingFixture fixture = new TicketingFixture();

    @BeforeEach
    void contacts() {
        Directory.Company acme = fixture.directory.addCompany("Acme", "acme.com");
        fixture.directory.addContact("ann@acme.com", "Ann", acme.id());
        fixture.directory.addContact("carl@acme.com", "Carl", acme.id());
    }

    private static MessageView parent(long id, String from, String messageId) {
        return MessageViewBuilder.message(id, SUPPORT).from(from, "").subject("Printer down")
                .messageId("<" + messageId + ">").build();
    }

    private static MessageView reply(long id, String from, String parentId) {
        return MessageViewBuilder.message(id, SUPPORT).from(from, "").subject("Re: Printer down")
                .messageId("<reply-" + id + "@acme.com>").inReplyTo("<" + parentId + ">")
                .references("<" + parentId + ">").build();
    }

    @Test
    void a_parent_filed_after_its_reply_joins_the_ticket_the_reply_opened_and_is_not_acknowledged() {
        Outcome replied = fixture.deliver(reply(52, "ann@acme.com", "p@acme.com"), Map.of("acknowledge", "true"));
        Outcome parent = fixture.deliver(parent(51, "ann@acme.com", "p@acme.com"), Map.of("acknowledge", "true"));

        assertThat(replied.data()).containsEntry("decision", "created").containsEntry("ticket_ref", "TCK-1");
        assertThat(parent.data()).containsEntry("decision", "added").containsEntry("ticket_ref", "TCK-1");
        assertThat(fixture.tickets(ANN, Map.of())).hasSize(1);
        assertThat(fixture.ticket(ANN, "TCK-1").get("message_ids")).asList().containsExactly(52L, 51L);
        assertThat(fixture.outbox.sent()).as("one acknowledgement, for the ticket's first mail").hasSize(1);
    }

    @Test
    void a_late_parent_from_someone_else_than_the_tickets_requester_opens_its_own_ticket() {
        fixture.deliver(reply(52, "ann@acme.com", "p@acme.com"), QUIET);
        Outcome parent = fixture.deliver(parent(51, "carl@acme.com", "p@acme.com"), QUIET);

        assertThat(parent.data()).containsEntry("decision", "created").containsEntry("ticket_ref", "TCK-2");
        assertThat(fixture.tickets(ANN, Map.of())).hasSize(2);
    }

    /** By the thread the host placed both in: the reply names its parent by In-Reply-To alone. */
    @Test
    void a_parent_and_its_reply_in_one_thread_filed_at_the_same_moment_make_one_ticket() throws Exception {
        fileTogether(round -> {
            String parentId = "t" + round + "@acme.com";
            long thread = 1000 + round;
            return List.of(MessageViewBuilder.message(200 + 2L * round, SUPPORT).from("ann@acme.com", "")
                            .subject("Printer down").messageId("<" + parentId + ">").threadId(thread).build(),
                    MessageViewBuilder.message(201 + 2L * round, SUPPORT).from("ann@acme.com", "")
                            .subject("Re: Printer down").inReplyTo("<" + parentId + ">").threadId(thread).build());
        });
    }

    /** Without a thread (the host's was deleted): by the first Message-ID the reply's References name. */
    @Test
    void a_parent_and_its_reply_with_references_filed_at_the_same_moment_make_one_ticket() throws Exception {
        fileTogether(round -> List.of(parent(100 + 2L * round, "ann@acme.com", "p" + round + "@acme.com"),
                reply(101 + 2L * round, "ann@acme.com", "p" + round + "@acme.com")));
    }

    /** Twenty rounds of a parent and its reply filed at once: each pair ends on one ticket. */
    private void fileTogether(IntFunction<List<MessageView>> pairs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Outcome>> both = pairs.apply(round).stream().map(message -> pool.submit(() -> {
                    start.await();
                    return fixture.deliver(message, QUIET);
                })).toList();
                Object first = both.get(0).get().data().get("ticket_ref");
                assertThat(both.get(1).get().data().get("ticket_ref")).as("round " + round).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fixture.tickets(ANN, Map.of("limit", "100"))).hasSize(20);
    }
}
