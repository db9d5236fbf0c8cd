package io.mailroom.host.mime;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.BodyDescriptorBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.util.ByteSequence;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the header section of one MIME entity says, read leniently: its fields, its type (a missing
 * or unreadable Content-Type falls back as mail clients do), disposition, transfer encoding and
 * charset. mime4j reads the header lines and splits multiparts; this descriptor, not mime4j's own,
 * decides what it splits: only a multipart with a boundary, not transfer-encoded and not nested
 * deeper than {@link MimeTreeWalker#MAX_DEPTH}. Every other entity comes to the walker as one body,
 * which it then decodes and splits itself where that is what real mail needs.
 */
final class PartHeaders implements BodyDescriptor {

    private static final Pattern VALID_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+");
    /** mime4j's boundary reader holds a boundary in a 4 KB buffer; longer ones are never real. */
    static final int MAX_BOUNDARY = 1000;
    private static final String LEAF = "application/x-mailroom-leaf";

    final RawHeaders headers;
    final String rawType;
    final HeaderValue contentType;
    final HeaderValue disposition;
    /** The type the walker goes by, lower-case. */
    final String type;
    final boolean unreadableType;
    final String encoding;
    /** This entity's charset, or its parent's when it declares none: the fallback for raw 8-bit header values. */
    final Charset charset;
    final int depth;
    private final boolean split;

    private PartHeaders(RawHeaders headers, String defaultType, Charset parentCharset, int depth) {
        this.headers = headers;
        this.depth = depth;
        this.rawType = headers.first("content-type");
        this.contentType = HeaderValue.parse(rawType);
        Charset own = CharsetFallback.lookup(contentType.param("charset"));
        this.charset = own != null ? own : parentCharset;
        headers.withCharsetHint(charset);
        String dispositionRaw = headers.first("content-disposition");
        this.disposition = dispositionRaw == null ? null : HeaderValue.parse(dispositionRaw);
        String value = contentType.value();
        boolean unreadable = false;
        if (rawType == null || value.isEmpty()) {
            value = defaultType;
        } else if (!VALID_TYPE.matcher(value).matches()) {
            unreadable = true;
            value = Filenames.declared(disposition, contentType) != null ? "application/octet-stream" : "text/plain";
        }
        this.type = value;
        this.unreadableType = unreadable;
        this.encoding = headers.first("content-transfer-encoding");
        String boundary = contentType.param("boundary");
        this.split = type.startsWith("multipart/") && depth < MimeTreeWalker.MAX_DEPTH
                && boundary != null && !boundary.isEmpty() && boundary.length() <= MAX_BOUNDARY
                && TransferDecoding.isIdentity(encoding);
    }

    boolean isMultipart() {
        return type.startsWith("multipart/");
    }

    String subtype() {
        return type.substring(type.indexOf('/') + 1);
    }

    @Override
    public String getMimeType() {
        return split ? type : LEAF;
    }

    @Override
    public String getMediaType() {
        String t = getMimeType();
        return t.substring(0, t.indexOf('/'));
    }

    @Override
    public String getSubType() {
        String t = getMimeType();
        return t.substring(t.indexOf('/') + 1);
    }

    @Override
    public String getBoundary() {
        return split ? contentType.param("boundary") : null;
    }

    @Override
    public String getCharset() {
        return charset == null ? null : charset.name();
    }

    /** The walker decodes bodies itself, leniently; mime4j is never asked to. */
    @Override
    public String getTransferEncoding() {
        return "7bit";
    }

    @Override
    public long getContentLength() {
        return -1;
    }

    /** Collects one entity's fields as mime4j reads them; a child's builder knows its parent. */
    static final class Builder implements BodyDescriptorBuilder {

        private final String defaultType;
        private final Charset parentCharset;
        private final int depth;
        private final MimeStreams.InvalidHeaders invalid;
        private final int invalidBefore;
        private final List<String> lines = new ArrayList<>();
        private PartHeaders built;

        Builder(String defaultType, Charset parentCharset, int depth, MimeStreams.InvalidHeaders invalid) {
            this.defaultType = defaultType;
            this.parentCharset = parentCharset;
            this.depth = depth;
            this.invalid = invalid;
            this.invalidBefore = invalid.count();
        }

        @Override
        public void reset() {
            lines.clear();
            built = null;
        }

        @Override
        public Field addField(RawField field) throws MimeException {
            ByteSequence raw = field.getRaw();
            lines.add(raw == null ? field.getName() + ": " + field.getBody() : latin1(raw));
            return null;
        }

        @Override
        public BodyDescriptor build() {
            if (built == null) {
                built = new PartHeaders(RawHeaders.of(lines, invalid.count() - invalidBefore), defaultType,
                        parentCharset, depth);
            }
            return built;
        }

        @Override
        public BodyDescriptorBuilder newChild() {
            PartHeaders parent = (PartHeaders) build();
            String childDefault = parent.type.equals("multipart/digest") ? "message/rfc822" : "text/plain";
            return new Builder(childDefault, parent.charset, depth + 1, invalid);
        }

        private static String latin1(ByteSequence raw) {
            byte[] bytes = raw.toByteArray();
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
