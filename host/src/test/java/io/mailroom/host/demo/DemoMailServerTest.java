package io.mailroom.host.demo;

import io.mailroom.api.message.Classification;
import io.mailroom.host.mime.Classifier;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.mime.ParsedMessage;
import io.mailroom.host.mime.UnparseableMessageException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The demo's mail server serves the seed over IMAP as Mailroom's parser then sees it: each
 * message what it is meant to show, and the malformed one unparseable, so it lands in quarantine.
 */
class DemoMailServerTest {

    static DemoMailServer server;
    static List<byte[]> inbox;
    static List<byte[]> sent;

    @BeforeAll
    static void start() throws Exception {
        server = DemoMailServer.start();
        inbox = fetch(SeedMail.INBOX);
        sent = fetch(SeedMail.SENT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<byte[]> fetch(String folderName) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("mail.imap.host", DemoMailServer.HOST);
        properties.setProperty("mail.imap.port", Integer.toString(server.imapPort()));
        try (Store store = Session.getInstance(properties).getStore("imap")) {
            store.connect(DemoPeople.SUPPORT.email(), DemoPeople.PASSWORD);
            Folder folder = store.getFolder(folderName);
            folder.open(Folder.READ_ONLY);
            List<byte[]> raw = new ArrayList<>();
            for (Message message : folder.getMessages()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                message.writeTo(out);
                raw.add(out.toByteArray());
            }
            folder.close(false);
            return raw;
        }
    }

    static ParsedMessage parse(byte[] raw) throws Exception {
        return new MessageParser().parse(new ByteArrayInputStream(raw));
    }

    static ParsedMessage inboxWith(String subject) throws Exception {
        for (int i = 0; i < inbox.size() - 1; i++) {
            ParsedMessage message = parse(inbox.get(i));
            if (message.subject().equals(subject)) {
                return message;
            }
        }
        throw new AssertionError("no message '" + subject + "' in the demo INBOX");
    }

    @Test
    void the_seed_is_in_the_support_accounts_inbox_and_sent_folders_in_order() {
        assertThat(inbox).hasSize(SeedMail.ALL.size() - 1);
        assertThat(sent).hasSize(1);
    }

    @Test
    void the_malformed_message_is_unparseable_so_mailroom_quarantines_it() {
        UnparseableMessageException e = catchThrowableOfType(UnparseableMessageException.class,
                () -> parse(inbox.getLast()));

        assertThat(e.reason()).startsWith("no header section");
    }

    @Test
    void every_other_message_parses_whole() throws Exception {
        List<byte[]> good = new ArrayList<>(inbox.subList(0, inbox.size() - 1));
        good.addAll(sent);
        for (byte[] raw : good) {
            ParsedMessage message = parse(raw);
            assertThat(message.from()).as(new String(raw, java.nio.charset.StandardCharsets.UTF_8)).isNotNull();
            assertThat(message.messageId()).isNotBlank();
            assertThat(message.cut()).isFalse();
        }
    }

    @Test
    void the_customer_thread_is_linked_by_its_references() throws Exception {
        ParsedMessage first = parse(inbox.get(0));
        ParsedMessage answer = parse(sent.get(0));
        ParsedMessage bob = parse(inbox.get(1));
        ParsedMessage ann = parse(inbox.get(2));
        ParsedMessage ticketReply = inboxWith("Re: [TCK-1] Order #4711 arrived damaged");

        assertThat(answer.inReplyTo()).isEqualTo(first.messageId());
        assertThat(bob.inReplyTo()).isEqualTo(answer.messageId());
        assertThat(ann.references()).containsExactly(first.messageId(), answer.messageId(), bob.messageId());
        assertThat(ticketReply.references()).startsWith(first.messageId());
        assertThat(answer.from().email()).isEqualTo(DemoPeople.SUPPORT.email());
    }

    @Test
    void the_automatic_mail_is_classified_as_such() throws Exception {
        Classifier classifier = new Classifier();

        assertThat(classifier.classify(inboxWith("Out of office: Delivery schedule for December")))
                .isEqualTo(Classification.AUTO_REPLY);
        ParsedMessage newsletter = inboxWith("Parcel Post Weekly: holiday shipping deadlines");
        assertThat(classifier.classify(newsletter)).isEqualTo(Classification.BULK);
        assertThat(newsletter.html()).contains("Holiday shipping deadlines");
        assertThat(classifier.classify(inboxWith("Order #4711 arrived damaged"))).isEqualTo(Classification.NORMAL);
    }

    @Test
    void the_invoice_carries_a_pdf() throws Exception {
        ParsedMessage invoice = inboxWith("Invoice INV-2026-118");

        assertThat(invoice.attachments()).singleElement().satisfies(pdf -> {
            assertThat(pdf.filename()).isEqualTo("INV-2026-118.pdf");
            assertThat(pdf.contentType()).isEqualTo("application/pdf");
            assertThat(pdf.size()).isGreaterThan(500);
        });
    }

    @Test
    void non_ascii_names_subject_and_body_decode() throws Exception {
        ParsedMessage message = inboxWith("Größenänderung für Bestellung #4712 – bitte dringend");

        assertThat(message.from().name()).isEqualTo("Zoë Çelik");
        assertThat(message.to()).singleElement().satisfies(to -> assertThat(to.name()).isEqualTo("Northwind Kundendienst"));
        assertThat(message.text()).contains("Größe 62 × 29 mm", "schöne Grüße aus Köln");
    }

    @Test
    void a_customer_can_receive_what_support_sends() throws Exception {
        com.icegreen.greenmail.util.GreenMailUtil.sendTextEmail(DemoPeople.ANN.email(), DemoPeople.SUPPORT.email(),
                "Replacement shipped", "Tracking number 4711-R",
                new com.icegreen.greenmail.util.ServerSetup(server.smtpPort(), DemoMailServer.HOST, "smtp"));

        Properties properties = new Properties();
        properties.setProperty("mail.imap.port", Integer.toString(server.imapPort()));
        try (Store store = Session.getInstance(properties).getStore("imap")) {
            store.connect(DemoMailServer.HOST, DemoPeople.ANN.email(), DemoPeople.PASSWORD);
            Folder folder = store.getFolder("INBOX");
            folder.open(Folder.READ_ONLY);
            assertThat(folder.getMessages()).extracting(Message::getSubject).containsExactly("Replacement shipped");
        }
    }
}
