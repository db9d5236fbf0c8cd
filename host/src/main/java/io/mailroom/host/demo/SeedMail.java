package io.mailroom.host.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The demo's mail, written by hand as {@code .eml} files beside this class ({@code mail/}), in the
 * order it arrived: a customer's thread (with support's answer in Sent), a customer's reply to
 * ticket TCK-1, an out-of-office reply, a newsletter, an invoice with a PDF, a message with
 * non-ASCII names and text, and one with no header section at all, which Mailroom quarantines.
 */
final class SeedMail {

    record Message(String folder, String file) {

        /** The file's bytes, with CRLF line ends as on the wire (the files keep LF, to be readable in git). */
        byte[] bytes() {
            try (InputStream in = SeedMail.class.getResourceAsStream("mail/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing demo mail " + file);
                }
                return crlf(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final String INBOX = "INBOX";
    static final String SENT = "Sent";

    static final List<Message> ALL = List.of(
            new Message(INBOX, "01-order-damaged.eml"),
            new Message(SENT, "02-re-order-damaged-support.eml"),
            new Message(INBOX, "03-re-order-damaged-bob.eml"),
            new Message(INBOX, "04-re-order-damaged-ann.eml"),
            new Message(INBOX, "05-ticket-reply.eml"),
            new Message(INBOX, "06-out-of-office.eml"),
            new Message(INBOX, "07-newsletter.eml"),
            new Message(INBOX, "08-invoice-pdf.eml"),
            new Message(INBOX, "09-non-ascii.eml"),
            new Message(INBOX, "10-malformed.eml"));

    /** How many of them Mailroom stores (all but the one with no header section). */
    static final int STORED = ALL.size() - 1;

    private SeedMail() {
    }

    /** LF and CRLF line ends both become CRLF; one pass. */
    static byte[] crlf(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + text.length / 32);
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(text[i]);
        }
        return out.toByteArray();
    }
}
