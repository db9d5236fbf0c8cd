package io.mailroom.host.mime;

import jakarta.activation.DataSource;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.SharedInputStream;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a multipart body with Angus, forgiving what real mail gets wrong: a missing end boundary,
 * a missing boundary parameter, no parts at all, and a boundary parameter that does not match the
 * body (then the first {@code --} line is taken as the boundary, as mail clients do). Angus reads
 * these switches from system properties; setting them on the instance keeps them local.
 */
final class LenientMultipart extends MimeMultipart {

    private final boolean guessBoundary;

    private LenientMultipart(DataSource source, boolean guessBoundary) throws MessagingException {
        super(source);
        this.guessBoundary = guessBoundary;
        initializeProperties();
    }

    @Override
    protected void initializeProperties() {
        ignoreMissingEndBoundary = true;
        ignoreMissingBoundaryParameter = true;
        ignoreExistingBoundaryParameter = guessBoundary;
        allowEmpty = true;
    }

    /**
     * The parts of a multipart body.
     *
     * @param guessed true when the declared boundary was missing or wrong and the body's first
     *                {@code --} line was used instead
     */
    record Split(List<MimeBodyPart> parts, boolean guessed, boolean cut) {
    }

    /**
     * Splits the body, or returns null when no boundary could be found in it.
     *
     * @param body     opens the (transfer-decoded) body; a shared stream avoids copying
     * @param maxParts parts beyond this are cut off before Angus reads them, see {@link MultipartLimits}
     */
    static Split split(String subtype, String boundary, MimeEntity.BodySource body, int maxParts, ParseBudget budget) {
        boolean[] cut = new boolean[1];
        List<MimeBodyPart> parts = boundary == null ? null : trySplit(subtype, boundary, body, false, maxParts, budget, cut);
        if (parts != null && !parts.isEmpty()) {
            return new Split(parts, false, cut[0]);
        }
        cut[0] = false;
        List<MimeBodyPart> guessed = trySplit(subtype, boundary, body, true, maxParts, budget, cut);
        return guessed == null || guessed.isEmpty() ? null : new Split(guessed, true, cut[0]);
    }

    private static List<MimeBodyPart> trySplit(String subtype, String boundary, MimeEntity.BodySource body,
                                               boolean guess, int maxParts, ParseBudget budget, boolean[] cut) {
        String contentType = "multipart/" + subtype
                + (boundary == null ? "" : "; boundary=\"" + boundary.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        long cutAt;
        try (InputStream in = body.open()) {
            cutAt = MultipartLimits.cutOffset(in, guess ? null : boundary, maxParts, budget);
        } catch (ParseBudget.Exceeded e) {
            throw e;
        } catch (Exception unreadable) {
            return null;
        }
        cut[0] = cutAt >= 0;
        try (InputStream whole = body.open();
             InputStream in = cutAt < 0 ? whole
                     : whole instanceof SharedInputStream shared ? shared.newStream(0, cutAt)
                     : new BoundedInputStream(whole, cutAt)) {
            LenientMultipart multipart = new LenientMultipart(new StreamSource(in, contentType), guess);
            int count = multipart.getCount();
            List<MimeBodyPart> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part instanceof MimeBodyPart mime) {
                    parts.add(mime);
                }
            }
            return parts;
        } catch (ParseBudget.Exceeded e) {
            throw e;
        } catch (Exception noBoundaryOrBroken) {
            return null;
        }
    }

    /** Hands Angus an already open stream: a shared stream lets the parts share its bytes. */
    private record StreamSource(InputStream in, String getContentType) implements DataSource {
        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public String getName() {
            return "multipart";
        }
    }
}
