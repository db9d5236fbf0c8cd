package io.mailroom.host.mime;

import io.mailroom.api.message.Address;
import org.apache.james.mime4j.stream.MimeTokenStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses a raw RFC 5322 message into a {@link ParsedMessage}. Users of other tools lose mail to
 * parse errors, so this parser repairs instead of failing: unknown and wrong charsets, malformed
 * RFC 2047 words, RFC 2231 parameters, raw 8-bit headers, broken dates, broken multipart
 * boundaries, bad base64 and quoted-printable all parse, and what was repaired is listed in
 * {@link ParsedMessage#warnings()}. Only bytes that are not a message at all throw
 * {@link UnparseableMessageException}.
 *
 * <p>Memory stays bounded: the raw message is held as a shared stream (in a temporary file above
 * 1 MB), attachments are decoded once to be counted and hashed and are not kept (the raw message
 * holds them; {@link #copyAttachment} reads one again by its part), text and HTML bodies are cut
 * at 4 MB each, the subject at 8 K characters, and depth, part and header counts are capped before mime4j makes objects of them. Time is bounded too: every pass is
 * linear, and a {@link ParseBudget} (CPU time, decoded bytes) stops a message that still runs
 * long. A message that hits a bound is not failed: it comes back with what was parsed and
 * {@link ParsedMessage#cut()} set, and the raw message is stored whole. Thread-safe: one instance
 * serves every mailbox.
 */
public final class MessageParser {

    public static final long DEFAULT_MAX_ATTACHMENT_SIZE = 25L * 1024 * 1024;
    static final int MAX_HEADER_VALUE_CHARS = 8 * 1024;
    static final int MAX_HEADER_FIELDS = 500;
    /** Longer subjects are cut: nobody reads past this, and a 1 MB subject should not be stored in every row that shows it. */
    static final int MAX_SUBJECT_CHARS = 8 * 1024;
    public static final Duration DEFAULT_PARSE_TIME = Duration.ofSeconds(10);
    /** Bodies and attachments decoded from one message together; a raw message is far smaller. */
    static final long MAX_DECODED_BYTES = 512L * 1024 * 1024;

    private final long maxAttachmentSize;
    private final Path spoolDirectory;
    private final Duration parseTime;
    private final HtmlSanitizer sanitizer = new HtmlSanitizer();

    /** Keeps attachments up to {@value #DEFAULT_MAX_ATTACHMENT_SIZE} bytes, spools to the JVM's temp directory. */
    public MessageParser() {
        this(DEFAULT_MAX_ATTACHMENT_SIZE);
    }

    public MessageParser(long maxAttachmentSize) {
        this(maxAttachmentSize, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @param maxAttachmentSize attachments larger than this (decoded) keep only their metadata
     * @param spoolDirectory    where large messages and attachments are held while parsing
     */
    public MessageParser(long maxAttachmentSize, Path spoolDirectory) {
        this(maxAttachmentSize, spoolDirectory, DEFAULT_PARSE_TIME);
    }

    /** @param parseTime the CPU time one message may take to parse; then it is cut */
    public MessageParser(long maxAttachmentSize, Path spoolDirectory, Duration parseTime) {
        if (maxAttachmentSize < 0) {
            throw new IllegalArgumentException("maxAttachmentSize must not be negative");
        }
        this.maxAttachmentSize = maxAttachmentSize;
        this.spoolDirectory = spoolDirectory;
        this.parseTime = parseTime;
    }

    /**
     * Reads the stream to its end (it is not closed) and parses it.
     *
     * @throws UnparseableMessageException when the bytes are not a message at all
     * @throws IOException                 when the stream or the spool directory fails
     */
    public ParsedMessage parse(InputStream raw) throws IOException {
        try (RawMessageSpool spool = RawMessageSpool.of(raw, spoolDirectory)) {
            return parse(spool);
        }
    }

    /** Parses a message held in a file, without copying it. */
    public ParsedMessage parse(Path file) throws IOException {
        try (RawMessageSpool spool = RawMessageSpool.of(file)) {
            return parse(spool);
        }
    }

    private ParsedMessage parse(RawMessageSpool spool) throws IOException {
        if (spool.size() == 0) {
            throw new UnparseableMessageException("the message is empty");
        }
        List<String> warnings = new ArrayList<>();
        ParseBudget budget = new ParseBudget(parseTime, MAX_DECODED_BYTES);
        MimeTreeWalker walker = new MimeTreeWalker(maxAttachmentSize, spoolDirectory, warnings, budget);
        try (RawMessageSpool lines = withCrLf(spool)) {
            RawHeaders headers = walk(lines == null ? spool : lines, walker, warnings, budget);
            if (lines != null) {
                warnings.add("lines end with a bare CR: read as CRLF");
            }
            return result(spool, walker, warnings, budget, headers);
        } catch (UnparseableMessageException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError bug) {
            throw new UnparseableMessageException("the parser failed: " + bug, bug);
        }
    }

    /** The size and SHA-256 of the decoded bytes {@link #copyAttachment} copied. */
    public record CopiedAttachment(long size, String sha256) {
    }

    /**
     * Walks the raw message again as {@link #parse} did, bounded by the same budget, and writes the
     * decoded bytes of the attachment at {@code part} ({@link ParsedAttachment#part()}) to
     * {@code out} as they are decoded: the attachment is never whole in memory. Bodies and other
     * attachments are skipped, not decoded. The caller compares the result with the stored size
     * and hash: the same bytes parse the same way, so they differ only if the parser's rules did.
     *
     * @return what was copied, or empty when there is no attachment at {@code part} or the budget
     *         ran out before its end (then part of it may have been written)
     * @throws IOException when the stream, the spool directory or {@code out} fails
     */
    public Optional<CopiedAttachment> copyAttachment(InputStream raw, String part, OutputStream out) throws IOException {
        try (RawMessageSpool spool = RawMessageSpool.of(raw, spoolDirectory)) {
            if (spool.size() == 0) {
                return Optional.empty();
            }
            ParseBudget budget = new ParseBudget(parseTime, MAX_DECODED_BYTES);
            MimeTreeWalker walker = MimeTreeWalker.extracting(part, out, spoolDirectory, budget);
            List<String> warnings = new ArrayList<>();
            try (RawMessageSpool lines = withCrLf(spool)) {
                walk(lines == null ? spool : lines, walker, warnings, budget);
            } catch (RuntimeException | StackOverflowError unreadable) {
                return Optional.empty();
            }
            AttachmentDigest.Digest copied = walker.copied();
            return copied == null ? Optional.empty() : Optional.of(new CopiedAttachment(copied.size(), copied.sha256()));
        }
    }

    /**
     * The message with CRLF line ends when its lines end with a bare CR ({@link CrOnlyLineEnds}),
     * spooled again (the caller closes it); null when its line ends are read as they are.
     */
    private RawMessageSpool withCrLf(RawMessageSpool spool) throws IOException {
        long start = HeaderStart.find(spool.open(0));
        if (start < 0 || !CrOnlyLineEnds.used(spool.open(start))) {
            return null;
        }
        try (InputStream crlf = CrOnlyLineEnds.asCrLf(spool.open(0))) {
            return RawMessageSpool.of(crlf, spoolDirectory);
        }
    }

    /** Walks the message's MIME tree; returns its top-level header section. */
    private static RawHeaders walk(RawMessageSpool spool, MimeTreeWalker walker, List<String> warnings,
                                   ParseBudget budget) throws IOException {
        long start = HeaderStart.find(spool.open(0));
        if (start < 0) {
            throw new UnparseableMessageException("the message holds only blank lines");
        }
        HeaderLimits.Cut overLimits;
        try (InputStream scan = spool.open(start)) {
            overLimits = HeaderLimits.scan(scan);
        }
        InputStream message;
        if (overLimits == null) {
            message = spool.open(start);
        } else {
            // the header section up to the cut, a blank line, then the body: mime4j never sees the excess
            long cut = start + overLimits.cut();
            byte[] end = (spool.byteAt(cut - 1) == '\n' ? "\r\n" : "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            message = new SequenceInputStream(new SequenceInputStream(spool.open(start, cut),
                    new ByteArrayInputStream(end)), spool.open(start + overLimits.bodyStart()));
            warnings.add("header section over " + HeaderLimits.MAX_LINES + " lines or " + HeaderLimits.MAX_BYTES
                    + " bytes: the rest of it is left out");
            budget.markCut();
        }
        try (InputStream in = message) {
            MimeTokenStream stream = MimeStreams.create("text/plain", null, 0);
            stream.parse(in);
            PartHeaders top = MimeTreeWalker.headers(stream);
            if (top == null || !top.headers.looksLikeHeaders()) {
                throw new UnparseableMessageException("no header section: the data is not an RFC 5322 message");
            }
            RawHeaders headers = top.headers;
            try {
                walker.walkMessage(stream, top);
            } catch (ParseBudget.Exceeded spent) {
                warnings.add(spent.getMessage() + ": the parts after that point are left out");
                budget.markCut();
            }
            return headers;
        }
    }

    private ParsedMessage result(RawMessageSpool spool, MimeTreeWalker walker, List<String> warnings,
                                 ParseBudget budget, RawHeaders headers) {
        MimeTreeWalker.Bodies bodies = walker.bodies();
        String text = trimBlankLines(String.join("\n\n", bodies.texts));
        String html = null;
        if (!bodies.htmls.isEmpty()) {
            try {
                org.jsoup.nodes.Document document = HtmlDocuments.parse(String.join("\n", bodies.htmls), budget);
                if (text.isBlank()) {
                    text = HtmlToText.convert(document, budget);
                }
                html = sanitizer.sanitize(document);
            } catch (ParseBudget.Exceeded spent) {
                warnings.add(spent.getMessage() + ": the HTML body is left out");
                budget.markCut();
            }
        }
        String subject = headers.first("subject");
        subject = subject == null ? "" : RawHeaders.withoutControls(EncodedWords.decode(subject)).replaceAll("\\s+", " ").strip();
        if (subject.length() > MAX_SUBJECT_CHARS) {
            int cut = Character.isHighSurrogate(subject.charAt(MAX_SUBJECT_CHARS - 1)) ? MAX_SUBJECT_CHARS - 1 : MAX_SUBJECT_CHARS;
            subject = subject.substring(0, cut);
            warnings.add("subject over " + MAX_SUBJECT_CHARS + " characters, cut");
            budget.markCut();
        }
        List<Address> from = AddressListParser.parse(headers.all("from"));
        if (from.isEmpty()) {
            from = AddressListParser.parse(headers.all("sender"));
        }
        String contentType = HeaderValue.parse(headers.first("content-type")).value();
        return new ParsedMessage(
                MessageIds.first(headers.first("message-id")),
                MessageIds.first(headers.first("in-reply-to")),
                MessageIds.references(MessageIds.all(String.join(" ", headers.all("references")))),
                from.isEmpty() ? null : from.get(0),
                AddressListParser.parse(headers.all("to")),
                AddressListParser.parse(headers.all("cc")),
                AddressListParser.parse(headers.all("bcc")),
                AddressListParser.parse(headers.all("reply-to")),
                subject,
                date(headers, warnings),
                headers.decoded(MAX_HEADER_VALUE_CHARS, MAX_HEADER_FIELDS),
                contentType.contains("/") ? contentType : "text/plain",
                text, html, walker.attachments(), spool.size(), warnings, budget.cut());
    }

    /** The Date header; when it is missing or unreadable, the time the newest Received header records. */
    private static Instant date(RawHeaders headers, List<String> warnings) {
        for (String value : headers.all("date")) {
            Instant date = DateHeader.parse(value);
            if (date != null) {
                return date;
            }
        }
        warnings.add(headers.first("date") == null ? "no Date header" : "unreadable Date header");
        for (String received : headers.all("received")) {
            int semicolon = received.lastIndexOf(';');
            Instant date = semicolon < 0 ? null : DateHeader.parse(received.substring(semicolon + 1));
            if (date != null) {
                return date;
            }
        }
        return null;
    }

    private static String trimBlankLines(String text) {
        return text.replaceFirst("^(?:[ \\t]*\\n)+", "").stripTrailing();
    }
}
