package io.mailroom.host.mime;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeTokenStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a message's MIME tree once, as mime4j's token stream reads it, and sorts every leaf into
 * body text, body HTML or attachment. A text/plain or text/html part without a file name and not
 * marked as an attachment is body; everything else, attached messages included, is an attachment.
 * Of a multipart/alternative the first plain text and the last (richest) HTML are kept.
 *
 * <p>What mime4j does not forgive is done here: a multipart that is transfer-encoded is decoded
 * and split; one whose boundary is missing or does not match the body is split at the body's
 * first {@code --} line, as mail clients do; one with no boundary at all is read as text. Depth and
 * part count are bounded so that a hostile message cannot exhaust the parser; past a bound the
 * rest is left out, not failed.
 */
final class MimeTreeWalker {

    static final int MAX_DEPTH = 20;
    static final int MAX_PARTS = 1000;
    /** For the text bodies of one message together, and again for its HTML bodies together. */
    static final int MAX_TEXT_BYTES = 4 * 1024 * 1024;
    /** The header section of an attached message read for its subject. */
    private static final int MAX_ATTACHED_HEADER_BYTES = 256 * 1024;

    private final long maxStoredSize;
    /** When copying one attachment out ({@link #extracting}): its part, where its bytes go, and what was copied. */
    private final String target;
    private final java.io.OutputStream targetOut;
    private AttachmentDigest.Digest copied;
    private final BodyTextReader textReader;
    private final Path spoolDirectory;
    private final List<ParsedAttachment> attachments = new ArrayList<>();
    private final List<String> warnings;
    private final ParseBudget budget;
    private Bodies bodies = new Bodies();
    private int parts;

    /** The body texts and HTML fragments found in one branch of the tree. */
    static final class Bodies {
        final List<String> texts = new ArrayList<>();
        final List<String> htmls = new ArrayList<>();
    }

    /** Ends the walk: a bound was reached and what follows is left out. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    /** Walks a message to parse it: bodies read, attachments counted and hashed. */
    MimeTreeWalker(long maxStoredSize, Path spoolDirectory, List<String> warnings, ParseBudget budget) {
        this(maxStoredSize, spoolDirectory, warnings, budget, null, null);
    }

    /**
     * Walks a message the same way to copy the decoded bytes of the attachment at {@code part}
     * to {@code out}; bodies and other attachments are skipped, not read.
     */
    static MimeTreeWalker extracting(String part, java.io.OutputStream out, Path spoolDirectory, ParseBudget budget) {
        return new MimeTreeWalker(Long.MAX_VALUE, spoolDirectory, new ArrayList<>(), budget, part, out);
    }

    private MimeTreeWalker(long maxStoredSize, Path spoolDirectory, List<String> warnings, ParseBudget budget,
                           String target, java.io.OutputStream targetOut) {
        this.maxStoredSize = maxStoredSize;
        this.target = target;
        this.targetOut = targetOut;
        this.spoolDirectory = spoolDirectory;
        this.warnings = warnings;
        this.budget = budget;
        this.textReader = new BodyTextReader(MAX_TEXT_BYTES, warnings, budget);
    }

    Bodies bodies() {
        return bodies;
    }

    List<ParsedAttachment> attachments() {
        return attachments;
    }

    /** What was copied of the attachment an {@link #extracting} walker looked for; null when it was not found. */
    AttachmentDigest.Digest copied() {
        return copied;
    }

    /**
     * Reads the header section of the entity the stream is at; the stream is then at its body.
     *
     * @return null when the header section cannot be read at all
     */
    static PartHeaders headers(MimeTokenStream stream) throws IOException {
        try {
            EntityState state = stream.getState();
            while (state != EntityState.T_BODY && state != EntityState.T_START_MULTIPART) {
                if (state == EntityState.T_END_OF_STREAM) {
                    return null;
                }
                state = stream.next();
            }
            return (PartHeaders) stream.getBodyDescriptor();
        } catch (MimeException unreadable) {
            return null;
        }
    }

    /** Walks the message whose header section {@link #headers} has read. */
    void walkMessage(MimeTokenStream stream, PartHeaders message) throws IOException {
        try {
            parts++;
            walkBody(stream, message, "");
        } catch (Stop stop) {
            // a bound was reached; the warning is already given
        }
    }

    /** Walks one entity from its start token to its end token. */
    private void walkEntity(MimeTokenStream stream, String path) throws IOException {
        budget.check();
        if (++parts > MAX_PARTS) {
            warnings.add("more than " + MAX_PARTS + " parts: the rest is left out");
            budget.markCut();
            throw new Stop();
        }
        PartHeaders headers;
        try {
            EntityState state = stream.next();
            while (state != EntityState.T_BODY && state != EntityState.T_START_MULTIPART) {
                if (state == EntityState.T_END_OF_STREAM) {
                    throw new Stop();
                }
                state = stream.next();
            }
            headers = (PartHeaders) stream.getBodyDescriptor();
        } catch (MimeException | IOException overLimit) {
            throw cut(path, overLimit);
        }
        walkBody(stream, headers, path);
    }

    private Stop cut(String path, Exception reason) {
        warnings.add(where(path) + ": more than " + MAX_PARTS + " parts or " + HeaderLimits.MAX_LINES
                + " header lines in a part, or a line over " + HeaderLimits.MAX_BYTES + " bytes ("
                + reason.getMessage() + "): the rest is left out");
        budget.markCut();
        return new Stop();
    }

    /** The stream is at T_BODY or T_START_MULTIPART of an entity with these headers. */
    private void walkBody(MimeTokenStream stream, PartHeaders entity, String path) throws IOException {
        if (entity.unreadableType) {
            warnings.add(where(path) + ": unreadable Content-Type \"" + abbreviate(entity.rawType) + "\"");
        }
        String type = entity.type;
        if (stream.getState() == EntityState.T_START_MULTIPART) {
            walkParts(stream, entity, path, true);
        } else if (type.startsWith("multipart/") && entity.depth < MAX_DEPTH) {
            walkFlatMultipart(stream.getInputStream(), entity, path);
        } else if (isBody(type, entity)) {
            if (target != null) {
                return; // extracting: mime4j skips the body unread
            }
            String text = textReader.read(stream.getInputStream(), entity.encoding, type, entity.contentType, path);
            boolean html = type.equals("text/html");
            // an empty text part (mime4j keeps a part that is only a broken header line) adds no blank lines
            if (text != null && (html || !text.isEmpty())) {
                (html ? bodies.htmls : bodies.texts).add(text);
            }
        } else {
            if (entity.depth >= MAX_DEPTH) {
                warnings.add(where(path) + ": nested deeper than " + MAX_DEPTH + ", kept as an attachment");
                budget.markCut();
            }
            addAttachment(stream.getInputStream(), entity, path);
        }
    }

    /**
     * The parts of a multipart mime4j splits; the stream is at its T_START_MULTIPART and is left at
     * its T_END_MULTIPART. When no part is found and {@code guess} is set, the preamble (the whole
     * body then) is split again at its first {@code --} line.
     *
     * @return how many parts were found
     */
    private int walkParts(MimeTokenStream stream, PartHeaders entity, String path, boolean guess)
            throws IOException {
        boolean alternative = entity.subtype().equals("alternative");
        Bodies outer = bodies;
        List<Bodies> choices = new ArrayList<>();
        int children = 0;
        RawMessageSpool preamble = null;
        try {
            EntityState state;
            while ((state = next(stream, path)) != EntityState.T_END_MULTIPART) {
                if (state == EntityState.T_PREAMBLE && guess) {
                    preamble = RawMessageSpool.of(stream.getInputStream(), spoolDirectory);
                } else if (state == EntityState.T_START_BODYPART) {
                    children++;
                    if (alternative) {
                        bodies = new Bodies();
                        choices.add(bodies);
                    }
                    walkEntity(stream, childPath(path, children));
                    bodies = outer;
                } else if (state == EntityState.T_END_OF_STREAM) {
                    break;
                }
            }
            bodies = outer;
            if (children == 0 && guess) {
                guess(preamble, entity, path);
            }
            return children;
        } finally {
            bodies = outer;
            if (alternative) {
                choose(outer, choices);
            }
            if (preamble != null) {
                preamble.close();
            }
        }
    }

    /** A multipart mime4j was not asked to split (transfer-encoded, or without a boundary). */
    private void walkFlatMultipart(InputStream raw, PartHeaders entity, String path) throws IOException {
        try (RawMessageSpool body = RawMessageSpool.of(TransferDecoding.decode(raw, entity.encoding), spoolDirectory)) {
            String boundary = entity.contentType.param("boundary");
            if (boundary != null && !boundary.isEmpty() && boundary.length() <= PartHeaders.MAX_BOUNDARY
                    && splitHeadless(body, boundary, entity, path)) {
                return;
            }
            guess(body, entity, path);
        }
    }

    /** Splits the body at its first {@code --} line, or reads it as text when it has none. */
    private void guess(RawMessageSpool body, PartHeaders entity, String path) throws IOException {
        String boundary = body == null ? null : firstDashLine(body);
        if (boundary != null && splitHeadless(body, boundary, entity, path)) {
            warnings.add(where(path) + ": " + entity.type + " boundary missing or wrong, taken from the body");
            return;
        }
        warnings.add(where(path) + ": " + entity.type + " without a usable boundary, read as text");
        if (body != null) {
            try (InputStream in = body.open(0)) {
                String text = textReader.read(in, null, "text/plain", entity.contentType, path);
                if (text != null) {
                    bodies.texts.add(text);
                }
            }
        }
    }

    /** Splits spooled (already decoded) multipart bytes with mime4j; false when no part is found. */
    private boolean splitHeadless(RawMessageSpool body, String boundary, PartHeaders entity, String path)
            throws IOException {
        if (hasControls(boundary)) {
            return false; // a bare CR in it: mime4j refuses the header it would be given, and no line ends in it
        }
        MimeTokenStream stream = MimeStreams.create("text/plain", entity.charset, entity.depth);
        String contentType = entity.type + "; boundary=\"" + boundary.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"" + (entity.charset == null ? "" : "; charset=\"" + entity.charset.name() + "\"");
        try (InputStream in = body.open(0)) {
            stream.parseHeadless(in, contentType);
            PartHeaders headers = headers(stream);
            if (headers == null || stream.getState() != EntityState.T_START_MULTIPART) {
                return false;
            }
            return walkParts(stream, headers, path, false) > 0;
        }
    }

    private static boolean hasControls(String boundary) {
        for (int i = 0; i < boundary.length(); i++) {
            if (boundary.charAt(i) < 0x20 || boundary.charAt(i) == 0x7F) {
                return true;
            }
        }
        return false;
    }

    private EntityState next(MimeTokenStream stream, String path) {
        try {
            return stream.next();
        } catch (MimeException | IOException overLimit) {
            throw cut(path, overLimit);
        }
    }

    /**
     * The first line that starts with {@code --}, without the dashes (and a closing {@code --}) and
     * trailing white space, as mail clients guess a boundary; null when there is none or it is too
     * long to be one.
     */
    private static String firstDashLine(RawMessageSpool body) throws IOException {
        try (InputStream in = new BufferedInputStream(body.open(0))) {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); ; c = in.read()) {
                if (c >= 0 && c != '\n') {
                    if (line.length() <= PartHeaders.MAX_BOUNDARY + 2) {
                        line.append((char) c);
                    }
                    continue;
                }
                if (line.length() > 2 && line.charAt(0) == '-' && line.charAt(1) == '-') {
                    String boundary = line.substring(2).stripTrailing();
                    boundary = boundary.endsWith("--") ? boundary.substring(0, boundary.length() - 2) : boundary;
                    return boundary.isEmpty() || boundary.length() > PartHeaders.MAX_BOUNDARY ? null : boundary;
                }
                if (c < 0) {
                    return null;
                }
                line.setLength(0);
            }
        }
    }

    private static void choose(Bodies outer, List<Bodies> choices) {
        choices.stream().filter(b -> !b.texts.isEmpty()).findFirst()
                .ifPresent(b -> outer.texts.add(String.join("\n\n", b.texts)));
        choices.stream().filter(b -> !b.htmls.isEmpty()).reduce((first, second) -> second)
                .ifPresent(b -> outer.htmls.addAll(b.htmls));
    }

    private static String childPath(String path, int index) {
        return path.isEmpty() ? String.valueOf(index) : path + "." + index;
    }

    private static boolean isBody(String type, PartHeaders entity) {
        return (type.equals("text/plain") || type.equals("text/html"))
                && (entity.disposition == null || !entity.disposition.value().equals("attachment"))
                && Filenames.declared(entity.disposition, entity.contentType) == null;
    }

    private void addAttachment(InputStream raw, PartHeaders entity, String path) throws IOException {
        String part = part(path);
        if (target != null) {
            if (target.equals(part)) {
                try (InputStream in = TransferDecoding.decode(raw, entity.encoding)) {
                    copied = AttachmentDigest.read(in, budget, targetOut);
                }
                throw new Stop();
            }
            return; // not the one: mime4j skips it unread
        }
        int index = attachments.size();
        String type = entity.type;
        String filename = Filenames.declared(entity.disposition, entity.contentType);
        HeadCapture head = filename == null && type.equals("message/rfc822")
                ? new HeadCapture(TransferDecoding.decode(raw, entity.encoding), MAX_ATTACHED_HEADER_BYTES) : null;
        AttachmentDigest.Digest digest;
        try (InputStream in = head != null ? head : TransferDecoding.decode(raw, entity.encoding)) {
            digest = AttachmentDigest.read(in, budget, null);
        }
        if (head != null) {
            filename = Filenames.fromSubject(AttachedMessages.subject(head.bytes()));
        }
        if (filename == null) {
            filename = Filenames.generated(index, type);
        }
        if (digest.readError() != null) {
            warnings.add(where(path) + ": attachment " + filename + " cut short (" + digest.readError() + ")");
        }
        String contentId = MessageIds.first(entity.headers.first("content-id"));
        boolean inline = entity.disposition != null && entity.disposition.value().equals("inline");
        attachments.add(new ParsedAttachment(index, filename, type, digest.size(), digest.sha256(), contentId,
                inline, digest.size() <= maxStoredSize, part));
    }

    /**
     * The IMAP number of a part: the walker's path, and {@code 1} for the body of a message that is
     * not multipart (its only attachment then). Paths of a multipart that was split again (decoded,
     * or with a guessed boundary) go on as if it had been split at once, and only this walker
     * reads them: a download walks the raw message again with the same rules.
     */
    private static String part(String path) {
        return path.isEmpty() ? "1" : path;
    }

    /** Passes a stream through, keeping a copy of its first bytes. */
    private static final class HeadCapture extends java.io.FilterInputStream {
        private final java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();
        private final int limit;

        HeadCapture(InputStream in, int limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0 && copy.size() < limit) {
                copy.write(c);
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && copy.size() < limit) {
                copy.write(b, off, Math.min(n, limit - copy.size()));
            }
            return n;
        }

        byte[] bytes() {
            return copy.toByteArray();
        }
    }

    static String where(String path) {
        return path.isEmpty() ? "message" : "part " + path;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
