package io.mailroom.host.outbound;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Date;
import java.util.Properties;
import java.util.UUID;

/**
 * Writes a {@link Draft} as the bytes that go out, with Angus Mail's MIME writer: RFC 2047 words
 * for non-ASCII names and subjects, RFC 2231 parameters for non-ASCII filenames, and per part the
 * transfer encoding its content needs (7bit for short ASCII lines, quoted-printable for mostly
 * ASCII text, base64 otherwise; attachments always base64, so their bytes arrive unchanged, and a
 * forwarded {@code message/rfc822} unencoded as RFC 2046 wants); {@code multipart/alternative}
 * for text with html, {@code multipart/mixed} around attachments.
 */
final class MailComposer {

    private final Session session;

    MailComposer() {
        Properties properties = new Properties();
        properties.setProperty("mail.mime.encodeparameters", "true");
        properties.setProperty("mail.mime.splitlongparameters", "true");
        this.session = Session.getInstance(properties);
    }

    /** A new Message-ID under the domain of the address the mail is from. */
    static String newMessageId(String fromAddress) {
        String domain = fromAddress.substring(fromAddress.lastIndexOf('@') + 1);
        return "<" + UUID.randomUUID() + "@" + domain + ">";
    }

    byte[] compose(Draft draft) {
        try {
            MimeMessage message = new FixedIdMessage(session, draft.messageId());
            message.setFrom(draft.from());
            message.setRecipients(Message.RecipientType.TO, draft.to().toArray(InternetAddress[]::new));
            if (!draft.cc().isEmpty()) {
                message.setRecipients(Message.RecipientType.CC, draft.cc().toArray(InternetAddress[]::new));
            }
            message.setSubject(draft.subject(), "UTF-8");
            message.setSentDate(Date.from(draft.date()));
            if (draft.inReplyTo() != null) {
                message.setHeader("In-Reply-To", draft.inReplyTo());
            }
            if (!draft.references().isEmpty()) {
                message.setHeader("References", MimeUtility.fold(12, String.join(" ", draft.references())));
            }
            if (draft.autoSubmitted() != null) {
                message.setHeader("Auto-Submitted", draft.autoSubmitted());
            }
            if (draft.attachments().isEmpty()) {
                body(message, draft);
            } else {
                MimeMultipart mixed = new MimeMultipart("mixed");
                MimeBodyPart content = new MimeBodyPart();
                body(content, draft);
                mixed.addBodyPart(content);
                for (Draft.Attachment attachment : draft.attachments()) {
                    mixed.addBodyPart(attachment(attachment));
                }
                message.setContent(mixed);
            }
            message.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot compose the message: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void body(Part part, Draft draft) throws MessagingException {
        if (draft.text() != null && draft.html() != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(draft.text(), "UTF-8", "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(draft.html(), "UTF-8", "html");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            part.setContent(alternative);
        } else if (draft.html() != null) {
            setText(part, draft.html(), "html");
        } else {
            setText(part, draft.text() == null ? "" : draft.text(), "plain");
        }
    }

    private static void setText(Part part, String text, String subtype) throws MessagingException {
        if (part instanceof MimeMessage message) {
            message.setText(text, "UTF-8", subtype);
        } else {
            ((MimeBodyPart) part).setText(text, "UTF-8", subtype);
        }
    }

    /**
     * Where attachment {@code index} sits in a composed message, numbered as IMAP numbers parts:
     * the body is part 1 of the {@code multipart/mixed}, the attachments follow it. A download
     * reads the attachment from there, so its bytes are stored once, in the raw message.
     */
    static String attachmentPart(int index) {
        return Integer.toString(index + 2);
    }

    private static MimeBodyPart attachment(Draft.Attachment attachment) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(), attachment.contentType())));
        part.setDisposition(Part.ATTACHMENT);
        part.setFileName(attachment.filename());
        if (attachment.contentType().regionMatches(true, 0, "message/rfc822", 0, 14)) {
            // RFC 2046 5.2.1: a message part is never base64 or quoted-printable; the writer leaves
            // it unencoded, so say which identity encoding its bytes need
            part.setHeader("Content-Transfer-Encoding", identityEncoding(attachment.content()));
        } else {
            // an attachment arrives as the bytes it left: in 7bit, the bare line feeds of a file
            // that happens to be ASCII would become CRLF on the way
            part.setHeader("Content-Transfer-Encoding", "base64");
        }
        return part;
    }

    /** {@code 7bit} for short ASCII lines, {@code 8bit} with other bytes, {@code binary} with NUL, bare CR or LF, or long lines. */
    static String identityEncoding(byte[] content) {
        boolean eightBit = false;
        int lineLength = 0;
        for (int i = 0; i < content.length; i++) {
            int b = content[i] & 0xff;
            if (b == '\r') {
                if (i + 1 >= content.length || content[i + 1] != '\n') {
                    return "binary";
                }
                i++;
                lineLength = 0;
                continue;
            }
            if (b == '\n' || b == 0 || ++lineLength > 998) {
                return "binary";
            }
            eightBit |= b >= 0x80;
        }
        return eightBit ? "8bit" : "7bit";
    }

    /** A message whose Message-ID is the one chosen (and stored) before it is written. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
