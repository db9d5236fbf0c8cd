package io.mailroom.testkit.mail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Realistic mail for tests and benchmarks, the same for the same seed: conversations of plain
 * replies that quote each other (In-Reply-To, References, "Re:" subjects), HTML newsletters with
 * a text alternative and list headers, and messages with binary attachments, in roughly the
 * proportions and sizes of a support mailbox.
 */
public final class MailCorpus {

    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final String[] PEOPLE = {"ann", "bob", "cid", "dora", "emil", "fay", "gus", "hana", "ivo", "jade"};
    private static final String[] TOPICS = {"Printer on floor 3", "Invoice 2026-114", "VPN drops every hour",
            "Password reset", "New laptop for Emil", "Shipping delay", "Refund request", "Login page error",
            "Quarterly report", "Meeting room booking"};
    private static final String WORDS = "the a mail server folder message thread reply please thanks could you "
            + "check again today tomorrow invoice order account access error works fine still broken update";

    private final Random random;
    private final Instant start;
    private final boolean attachments;

    private MailCorpus(long seed, Instant start, boolean attachments) {
        this.random = new Random(seed);
        this.start = start;
        this.attachments = attachments;
    }

    /** {@code count} messages, oldest first, one hour apart from {@code start}. */
    public static List<byte[]> generate(int count, long seed, Instant start) {
        return new MailCorpus(seed, start, true).messages(count);
    }

    /**
     * {@code count} small messages like a typical support inbox, where the cost per message
     * dominates: the same plain replies and HTML newsletters, no attachments (mean about 4 KB).
     */
    public static List<byte[]> generateSmall(int count, long seed, Instant start) {
        return new MailCorpus(seed, start, false).messages(count);
    }

    private List<byte[]> messages(int count) {
        List<byte[]> messages = new ArrayList<>(count);
        List<String> openThreads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant date = start.plusSeconds(3600L * i);
            String id = "m" + i + "." + Long.toHexString(random.nextLong()) + "@corpus.example";
            int kind = random.nextInt(10);
            if (kind < 6) {
                messages.add(reply(id, date, openThreads));
            } else if (kind < 8) {
                messages.add(newsletter(id, date));
            } else if (attachments) {
                messages.add(withAttachment(id, date));
            } else {
                messages.add(reply(id, date, openThreads));
            }
        }
        return messages;
    }

    private byte[] reply(String id, Instant date, List<String> openThreads) {
        String person = PEOPLE[random.nextInt(PEOPLE.length)];
        StringBuilder headers = headers(id, date, person + "@customer.example", "support@example.com");
        String topic = TOPICS[random.nextInt(TOPICS.length)];
        if (!openThreads.isEmpty() && random.nextBoolean()) {
            String parent = openThreads.get(random.nextInt(openThreads.size()));
            headers.append("In-Reply-To: <").append(parent).append(">\r\n");
            headers.append("References: <").append(parent).append(">\r\n");
            topic = "Re: " + TOPICS[Math.floorMod(parent.hashCode(), TOPICS.length)];
        }
        openThreads.add(id);
        if (openThreads.size() > 50) {
            openThreads.removeFirst();
        }
        headers.append("Subject: ").append(topic).append("\r\n");
        headers.append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        return (headers + paragraphs(2 + random.nextInt(6)) + "\r\n> " + paragraphs(1).replace("\r\n", "\r\n> ")
                + "\r\n-- \r\n" + person + ", Müller & Søn GmbH\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] newsletter(String id, Instant date) {
        StringBuilder mail = headers(id, date, "news@shop.example", "support@example.com");
        mail.append("Subject: Your weekly offers ").append(random.nextInt(100)).append("\r\n");
        mail.append("List-Id: <offers.shop.example>\r\nList-Unsubscribe: <https://shop.example/u>\r\n");
        mail.append("Precedence: bulk\r\n");
        mail.append("Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n");
        String text = paragraphs(10 + random.nextInt(20));
        mail.append("--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n").append(text).append("\r\n");
        mail.append("--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>");
        for (String paragraph : text.split("\r\n\r\n")) {
            mail.append("<p style=\"font-family:Arial\">").append(paragraph).append("</p>\r\n");
        }
        mail.append("<img src=\"https://shop.example/pixel.gif\"></body></html>\r\n--alt--\r\n");
        return mail.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] withAttachment(String id, Instant date) {
        String person = PEOPLE[random.nextInt(PEOPLE.length)];
        StringBuilder mail = headers(id, date, person + "@customer.example", "support@example.com");
        mail.append("Subject: Scan for ").append(TOPICS[random.nextInt(TOPICS.length)]).append("\r\n");
        mail.append("Content-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n");
        mail.append("--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n").append(paragraphs(1)).append("\r\n");
        byte[] attachment = new byte[20_000 + random.nextInt(300_000)];
        random.nextBytes(attachment);
        mail.append("--mix\r\nContent-Type: application/pdf; name=\"scan-").append(id.hashCode() & 0xffff)
                .append(".pdf\"\r\nContent-Disposition: attachment; filename=\"scan.pdf\"\r\n")
                .append("Content-Transfer-Encoding: base64\r\n\r\n")
                .append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment))
                .append("\r\n--mix--\r\n");
        return mail.toString().getBytes(StandardCharsets.UTF_8);
    }

    private StringBuilder headers(String id, Instant date, String from, String to) {
        StringBuilder headers = new StringBuilder();
        headers.append("Received: from mx.example.com by mail.example.com; ").append(DATE.format(date)).append("\r\n");
        headers.append("Message-ID: <").append(id).append(">\r\n");
        headers.append("Date: ").append(DATE.format(date)).append("\r\n");
        headers.append("From: ").append(capitalised(from)).append(" <").append(from).append(">\r\n");
        headers.append("To: <").append(to).append(">\r\nMIME-Version: 1.0\r\n");
        return headers;
    }

    private String paragraphs(int count) {
        String[] words = WORDS.split(" ");
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < count; p++) {
            int length = 20 + random.nextInt(60);
            for (int w = 0; w < length; w++) {
                text.append(words[random.nextInt(words.length)]).append(w % 12 == 11 ? "\r\n" : " ");
            }
            text.append("\r\n\r\n");
        }
        return text.toString();
    }

    private static String capitalised(String address) {
        String local = address.substring(0, address.indexOf('@'));
        return local.substring(0, 1).toUpperCase(Locale.ROOT) + local.substring(1);
    }
}
