package io.mailroom.host.mime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Walks a message's MIME tree once and sorts every leaf into body text, body HTML or attachment.
 * A text/plain or text/html part without a file name and not marked as an attachment is body;
 * everything else, attached messages included, is an attachment. Of a multipart/alternative the
 * first plain text and the last (richest) HTML are kept. A part that cannot be read is reported
 * in the warnings and skipped; a multipart whose boundary cannot be found is read as plain text.
 * Depth and part count are bounded so that a hostile message cannot exhaust the parser.
 */
final class MimeTreeWalker {

    static final int MAX_DEPTH = 20;
    static final int MAX_PARTS = 1000;
    /** For the text bodies of one message together, and again for its HTML bodies together. */
    static final int MAX_TEXT_BYTES = 4 * 1024 * 1024;
    private static final Pattern VALID_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+");

    private final AttachmentSpooler spooler;
    private final BodyTextReader textReader;
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

    MimeTreeWalker(AttachmentSpooler spooler, List<String> warnings, ParseBudget budget) {
        this.spooler = spooler;
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

    void walk(MimeEntity entity, String defaultType, int depth, String path, Charset parentCharset)
            throws IOException {
        budget.check();
        if (++parts > MAX_PARTS) {
            if (parts == MAX_PARTS + 1) {
                warnings.add("more than " + MAX_PARTS + " parts: the rest is left out");
                budget.markCut();
            }
            return;
        }
        RawHeaders headers = entity.headers();
        String rawType = headers.first("content-type");
        HeaderValue contentType = HeaderValue.parse(rawType);
        Charset charset = CharsetFallback.lookup(contentType.param("charset"));
        headers.withCharsetHint(charset != null ? charset : parentCharset);
        String dispositionRaw = headers.first("content-disposition");
        HeaderValue disposition = dispositionRaw == null ? null : HeaderValue.parse(dispositionRaw);
        String type = contentType.value();
        if (rawType == null || type.isEmpty()) {
            type = defaultType;
        } else if (!VALID_TYPE.matcher(type).matches()) {
            boolean named = Filenames.declared(disposition, contentType) != null;
            warnings.add(where(path) + ": unreadable Content-Type \"" + abbreviate(rawType) + "\"");
            type = named ? "application/octet-stream" : "text/plain";
        }
        String encoding = headers.first("content-transfer-encoding");

        if (type.startsWith("multipart/") && depth < MAX_DEPTH) {
            walkMultipart(entity, type.substring("multipart/".length()), contentType, encoding, depth, path,
                    charset != null ? charset : parentCharset);
        } else if (isBody(type, disposition, contentType)) {
            String text = textReader.read(entity, encoding, type, contentType, path);
            if (text != null) {
                (type.equals("text/html") ? bodies.htmls : bodies.texts).add(text);
            }
        } else {
            if (depth >= MAX_DEPTH) {
                warnings.add(where(path) + ": nested deeper than " + MAX_DEPTH + ", kept as an attachment");
                budget.markCut();
            }
            addAttachment(entity, type, contentType, disposition, encoding, path);
        }
    }

    private void walkMultipart(MimeEntity entity, String subtype, HeaderValue contentType, String encoding,
                               int depth, String path, Charset charset) throws IOException {
        MimeEntity.BodySource decoded = () -> TransferDecoding.decode(entity.body().open(), encoding);
        LenientMultipart.Split split = LenientMultipart.split(subtype, contentType.param("boundary"),
                TransferDecoding.isIdentity(encoding) ? entity.body() : decoded, MAX_PARTS - parts + 1, budget);
        if (split == null) {
            warnings.add(where(path) + ": multipart/" + subtype + " without a usable boundary, read as text");
            String text = textReader.read(entity, encoding, "text/plain", contentType, path);
            if (text != null) {
                bodies.texts.add(text);
            }
            return;
        }
        if (split.cut()) {
            warnings.add(where(path) + ": more than " + MAX_PARTS + " parts or " + HeaderLimits.MAX_LINES
                    + " header lines in a part: the rest is left out");
            budget.markCut();
        }
        if (split.guessed()) {
            warnings.add(where(path) + ": multipart/" + subtype + " boundary missing or wrong, taken from the body");
        }
        List<MimeBodyPart> children = split.parts();
        String childDefault = subtype.equals("digest") ? "message/rfc822" : "text/plain";
        boolean alternative = subtype.equals("alternative");
        Bodies outer = bodies;
        List<Bodies> choices = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            MimeBodyPart child = children.get(i);
            String childPath = path.isEmpty() ? String.valueOf(i + 1) : path + "." + (i + 1);
            if (alternative) {
                bodies = new Bodies();
                choices.add(bodies);
            }
            try {
                MimeEntity childEntity = new MimeEntity(RawHeaders.of(child.getAllHeaderLines()),
                        child::getRawInputStream);
                walk(childEntity, childDefault, depth + 1, childPath, charset);
            } catch (ParseBudget.Exceeded spent) {
                bodies = outer;
                throw spent;
            } catch (MessagingException | RuntimeException unreadable) {
                warnings.add(where(childPath) + ": unreadable part skipped (" + unreadable.getMessage() + ")");
            }
        }
        bodies = outer;
        if (alternative) {
            choices.stream().filter(b -> !b.texts.isEmpty()).findFirst()
                    .ifPresent(b -> outer.texts.add(String.join("\n\n", b.texts)));
            choices.stream().filter(b -> !b.htmls.isEmpty()).reduce((first, second) -> second)
                    .ifPresent(b -> outer.htmls.addAll(b.htmls));
        }
    }

    private static boolean isBody(String type, HeaderValue disposition, HeaderValue contentType) {
        return (type.equals("text/plain") || type.equals("text/html"))
                && (disposition == null || !disposition.value().equals("attachment"))
                && Filenames.declared(disposition, contentType) == null;
    }

    private void addAttachment(MimeEntity entity, String type, HeaderValue contentType, HeaderValue disposition,
                               String encoding, String path) throws IOException {
        int index = attachments.size();
        String filename = Filenames.declared(disposition, contentType);
        if (filename == null && type.equals("message/rfc822")) {
            filename = Filenames.fromSubject(AttachedMessages.subject(entity, encoding));
        }
        if (filename == null) {
            filename = Filenames.generated(index, type);
        }
        AttachmentSpooler.Spooled spooled;
        try (InputStream in = TransferDecoding.decode(entity.body().open(), encoding)) {
            spooled = spooler.spool(in, budget);
        } catch (MessagingException unreadable) {
            warnings.add(where(path) + ": attachment " + filename + " unreadable (" + unreadable.getMessage() + ")");
            return;
        }
        if (spooled.readError() != null) {
            warnings.add(where(path) + ": attachment " + filename + " cut short (" + spooled.readError() + ")");
        }
        String contentId = MessageIds.first(entity.headers().first("content-id"));
        boolean inline = disposition != null && disposition.value().equals("inline");
        attachments.add(new ParsedAttachment(index, filename, type, spooled.size(), spooled.sha256(), contentId,
                inline, spooled.content() != null, spooled.content()));
    }

    static String where(String path) {
        return path.isEmpty() ? "message" : "part " + path;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
