package io.mailroom.host.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a text/plain or text/html body part into a string: transfer decoding, charset with
 * fallbacks (an HTML part without a charset parameter is asked for its {@code <meta charset>}),
 * line breaks normalised to {@code \n}, format=flowed joined. A body larger than the limit is cut
 * (the raw message keeps all of it); a read error keeps what was read.
 */
final class BodyTextReader {

    private static final Pattern META_CHARSET = Pattern.compile(
            "<meta[^>]{0,200}?charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9_:.+-]{1,40})", Pattern.CASE_INSENSITIVE);

    private final int maxBytes;
    private final List<String> warnings;
    private final ParseBudget budget;
    private int textBytesLeft;
    private int htmlBytesLeft;

    /** @param maxBytes for all text bodies of the message together, and again for all HTML bodies */
    BodyTextReader(int maxBytes, List<String> warnings, ParseBudget budget) {
        this.maxBytes = maxBytes;
        this.warnings = warnings;
        this.budget = budget;
        this.textBytesLeft = maxBytes;
        this.htmlBytesLeft = maxBytes;
    }

    /** The text of a body as it is on the wire (still transfer-encoded); a read error keeps what was read. */
    String read(InputStream raw, String encoding, String type, HeaderValue contentType, String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean truncated = false;
        boolean html = type.equals("text/html");
        int limit = html ? htmlBytesLeft : textBytesLeft;
        try {
            InputStream in = TransferDecoding.decode(raw, encoding);
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                budget.decoded(n);
                int room = limit - out.size();
                if (n > room) {
                    out.write(buffer, 0, room);
                    truncated = true;
                    break;
                }
                out.write(buffer, 0, n);
            }
        } catch (ParseBudget.Exceeded spent) {
            throw spent;
        } catch (IOException | RuntimeException e) {
            warnings.add(MimeTreeWalker.where(path) + ": body cut short (" + e.getMessage() + ")");
        }
        byte[] bytes = out.toByteArray();
        int length = bytes.length;
        if (html) {
            htmlBytesLeft -= length;
        } else {
            textBytesLeft -= length;
        }
        if (truncated) {
            warnings.add(MimeTreeWalker.where(path) + ": body over " + maxBytes + " bytes (all "
                    + (html ? "HTML" : "text") + " bodies together), cut");
            budget.markCut();
            length = withoutPartialUtf8Tail(bytes, length);
        }
        String declared = contentType.param("charset");
        if (declared == null && type.equals("text/html")) {
            declared = metaCharset(bytes, length);
        }
        Charset charset = CharsetFallback.lookup(declared);
        if (declared != null && charset == null) {
            warnings.add(MimeTreeWalker.where(path) + ": unknown charset \"" + declared + "\", guessed");
        }
        String text = CharsetFallback.decode(bytes, 0, length, charset);
        text = text.replace("\r\n", "\n").replace('\r', '\n');
        String format = contentType.param("format");
        if (type.equals("text/plain") && format != null && format.trim().equalsIgnoreCase("flowed")) {
            String delSp = contentType.param("delsp");
            text = FlowedText.unflow(text, delSp != null && delSp.trim().toLowerCase(Locale.ROOT).equals("yes"));
        }
        return text;
    }

    private static String metaCharset(byte[] bytes, int length) {
        String head = new String(bytes, 0, Math.min(length, 4096), StandardCharsets.ISO_8859_1);
        Matcher m = META_CHARSET.matcher(head);
        return m.find() ? m.group(1) : null;
    }

    /** Drops an incomplete UTF-8 sequence at the cut, so the text is still recognised as UTF-8. */
    private static int withoutPartialUtf8Tail(byte[] bytes, int length) {
        int end = length;
        int back = 0;
        while (end > 0 && back < 3 && (bytes[end - 1] & 0xC0) == 0x80) {
            end--;
            back++;
        }
        if (end > 0 && (bytes[end - 1] & 0xC0) == 0xC0) {
            return end - 1;
        }
        return length;
    }
}
