package io.mailroom.host.mime;

import jakarta.mail.MessagingException;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import jakarta.mail.internet.MimeUtility;

import java.io.InputStream;
import java.util.Locale;

/**
 * Undoes a Content-Transfer-Encoding, leniently. Unknown or misspelt encodings ("8bits",
 * "x-binary") are read as they are, which is what a human would see in a mail client.
 */
final class TransferDecoding {

    private TransferDecoding() {
    }

    static InputStream decode(InputStream raw, String contentTransferEncoding) {
        return switch (normalize(contentTransferEncoding)) {
            // mime4j's decoders, told to be silent: bad characters are skipped, bad escapes kept as written.
            case "base64" -> new Base64InputStream(raw, DecodeMonitor.SILENT);
            case "quoted-printable" -> new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT);
            case "uuencode", "x-uuencode", "x-uue" -> uudecode(raw);
            default -> raw;
        };
    }

    /** True when the body is not what is on the wire, so a multipart must be decoded before splitting. */
    static boolean isIdentity(String contentTransferEncoding) {
        String e = normalize(contentTransferEncoding);
        return !(e.equals("base64") || e.equals("quoted-printable") || e.startsWith("uu") || e.startsWith("x-uu"));
    }

    static String normalize(String contentTransferEncoding) {
        if (contentTransferEncoding == null) {
            return "";
        }
        String e = contentTransferEncoding.trim().replace("\"", "").toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < e.length() && (Character.isLetterOrDigit(e.charAt(end)) || e.charAt(end) == '-')) {
            end++;
        }
        return e.substring(0, end);
    }

    private static InputStream uudecode(InputStream raw) {
        try {
            return MimeUtility.decode(raw, "uuencode");
        } catch (MessagingException e) {
            return raw;
        }
    }
}
