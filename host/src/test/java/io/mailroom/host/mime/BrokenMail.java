package io.mailroom.host.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The malformed messages of issue 15 that {@link HostileMail}'s dozen lacked, generated (no fixture
 * files): broken MIME boundaries, missing headers, invalid charsets in bodies, RFC 2047 words and
 * file names, decompression bombs in attachments, and what a careless sender produces (8-bit
 * headers, CR-only or LF-only line ends, header lines without a colon). Each says whether it is to
 * be stored (parsed with what could be read) or quarantined (not a message at all).
 */
public final class BrokenMail {

    /** Decompressed size of the bombs: far over any attachment limit, a few dozen KB compressed. */
    public static final int BOMB_BYTES = 64 * 1024 * 1024;

    /** One malformed message and what must become of it. */
    public record Case(byte[] raw, boolean quarantined) {
    }

    private BrokenMail() {
    }

    private static Map<String, Case> corpus;
    private static byte[] gzipBomb;
    private static byte[] zipBomb;

    /** Every case by what is wrong with it, in a stable order; made once (the bombs take a moment to deflate). */
    public static synchronized Map<String, Case> byName() {
        if (corpus == null) {
            corpus = java.util.Collections.unmodifiableMap(generate());
        }
        return corpus;
    }

    private static Map<String, Case> generate() {
        Map<String, Case> mails = new LinkedHashMap<>();
        String head = "From: a@example.com\r\nTo: b@example.com\r\nDate: Mon, 16 Nov 2026 10:00:00 +0000\r\n";

        // broken MIME boundaries
        stored(mails, "unterminated multipart", head + "Subject: unterminated\r\n"
                + "Content-Type: multipart/mixed; boundary=u\r\n\r\n--u\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
                + "--u\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK");
        stored(mails, "boundary never appearing", head + "Subject: no boundary line\r\n"
                + "Content-Type: multipart/mixed; boundary=never\r\n\r\nplain text where parts should be\r\n-- \r\nsig\r\n");
        stored(mails, "boundary in the middle of a line", head + "Subject: mid-line\r\n"
                + "Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\n"
                + "text --m more text --m-- and the end of it\r\n--m--\r\n");
        stored(mails, "nested part with the parent's boundary", head + "Subject: same boundary\r\n"
                + "Content-Type: multipart/mixed; boundary=s\r\n\r\n--s\r\n"
                + "Content-Type: multipart/alternative; boundary=s\r\n\r\n--s\r\nContent-Type: text/plain\r\n\r\ninner\r\n"
                + "--s--\r\n--s\r\nContent-Type: text/plain\r\n\r\nouter\r\n--s--\r\n");
        stored(mails, "empty boundary parameter", head + "Subject: empty boundary\r\n"
                + "Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\nContent-Type: text/plain\r\n\r\nx\r\n----\r\n");
        stored(mails, "a thousand-character boundary", head + "Subject: long boundary\r\n"
                + "Content-Type: multipart/mixed; boundary=\"" + "b".repeat(1000) + "\"\r\n\r\n--" + "b".repeat(1000)
                + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + "b".repeat(1000) + "--\r\n");
        stored(mails, "closing boundary first", head + "Subject: closed first\r\n"
                + "Content-Type: multipart/mixed; boundary=c\r\n\r\n--c--\r\n--c\r\nContent-Type: text/plain\r\n\r\nlate\r\n");
        stored(mails, "base64-encoded multipart", head + "Subject: encoded multipart\r\n"
                + "Content-Type: multipart/mixed; boundary=e\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(ascii("--e\r\nContent-Type: text/plain\r\n\r\nhidden\r\n--e--\r\n"))
                + "\r\n");

        // found by MessageParserFuzzTest: a bare CR in a boundary made mime4j refuse the multipart header it was given
        stored(mails, "bare CR in the first dash line of a wrong boundary", head + "Subject: cr boundary\r\n"
                + "Content-Type: multipart/mixed; boundary=declared\r\n\r\n--guessed\rContent-Type: text/plain\r\n\r\n"
                + "x\r\n--guessed--\r\n");
        stored(mails, "bare CR in the boundary of an encoded multipart", head + "Subject: cr boundary encoded\r\n"
                + "Content-Type: multipart/mixed; boundary=\"a\rb\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(ascii("--a\rb\r\nContent-Type: text/plain\r\n\r\nx\r\n--a\rb--\r\n"))
                + "\r\n");

        // missing headers
        stored(mails, "no From", "To: b@example.com\r\nSubject: from nobody\r\nDate: Mon, 16 Nov 2026 10:00:00 +0000\r\n\r\nbody\r\n");
        stored(mails, "no Date", "From: a@example.com\r\nSubject: undated\r\n\r\nbody\r\n");
        stored(mails, "no Subject, From, To or Date", "X-Mailer: careless\r\n\r\nbody\r\n");
        quarantined(mails, "no header section, only a body", "Hello,\r\n\r\nthis is only a body, with no header"
                + " section at all.\r\nRegards\r\n");
        quarantined(mails, "only blank lines", "\r\n\r\n\r\n");
        stored(mails, "header section only, no body", "From: a@example.com\r\nSubject: no body");

        // invalid charsets
        stored(mails, "invalid charset in RFC 2047 words", "From: =?x-klingon?Q?Kl=FFngon?= <a@example.com>\r\n"
                + "Subject: =?utf-8?B?/////w==?= =?utf\u0000-8?Q?nul?= =?" + "c".repeat(64) + "?Q?long?= =?../../etc?B?eA==?="
                + " =?utf-16?B?2D0=?= =?utf-8?Q?=E9t=C3?=\r\n\r\nbody\r\n");
        stored(mails, "invalid charset in file names", head + "Subject: names\r\n"
                + "Content-Type: multipart/mixed; boundary=f\r\n\r\n"
                + "--f\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename*=x-klingon''%FF%FE%00..%2F..%2Fetc%2Fpasswd\r\n\r\none\r\n"
                + "--f\r\nContent-Type: application/octet-stream; name=\"=?bogus?Q?r=FF=00port.pdf?=\"\r\n\r\ntwo\r\n"
                + "--f\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename*=utf-8''%C3%28%E9%00.exe\r\n\r\nthree\r\n"
                + "--f\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename*0*=utf-8''%E2%82; filename*1*=%AC%; filename*5=gap\r\n\r\nfour\r\n"
                + "--f\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename=\"" + "\u00ff".repeat(5000) + ".bin\"\r\n\r\nfive\r\n--f--\r\n");
        stored(mails, "body in an unknown and a lying charset", head + "Subject: charsets\r\n"
                + "Content-Type: multipart/alternative; boundary=a\r\n\r\n"
                + "--a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\u00e9\u00ff\u00c3\u0028 not utf-8\r\n"
                + "--a\r\nContent-Type: text/html; charset=utf-16\r\n\r\n<p>odd</p>\u0000\r\n"
                + "--a\r\nContent-Type: text/html\r\n\r\n<meta charset=\"x-\u00ff\u00ff\"><p>meta</p>\r\n--a--\r\n");

        // decompression bombs: counted and hashed as they are, never inflated
        stored(mails, "gzip bomb attachment", head + "Subject: gzip bomb\r\n"
                + "Content-Type: multipart/mixed; boundary=g\r\n\r\n--g\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--g\r\nContent-Type: application/gzip; name=\"zeros.gz\"\r\nContent-Encoding: gzip\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(gzipBomb())
                + "\r\n--g--\r\n");
        stored(mails, "zip bomb attachment", head + "Subject: zip bomb\r\n"
                + "Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--z\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=zeros.zip\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(zipBomb())
                + "\r\n--z--\r\n");
        stored(mails, "gzip-encoded text body", head + "Subject: gzip body\r\nContent-Type: text/plain\r\n"
                + "Content-Encoding: gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(gzipBomb()) + "\r\n");

        // a careless sender
        mails.put("8-bit headers", new Case(concat(("From: J\u00fcrgen <j@example.com>\r\nSubject: Gr\u00fc\u00dfe \u65e5\u672c\r\n")
                .getBytes(StandardCharsets.UTF_8), ascii("X-Latin: caf\u00e9 \u00e0 la cr\u00e8me\r\n\r\nbody\r\n")), false));
        stored(mails, "CR-only line ends", "From: a@example.com\rSubject: old mac\rDate: Mon, 16 Nov 2026 10:00:00 +0000\r"
                + "\rline one\rline two\r");
        stored(mails, "LF-only line ends", "From: a@example.com\nSubject: unix\nContent-Type: multipart/mixed; boundary=l\n\n"
                + "--l\nContent-Type: text/plain\n\nlf text\n--l--\n");
        stored(mails, "mixed line ends", "From: a@example.com\r\nSubject: mixed\n\rTo: b@example.com\r\r\n\nbody\r\n");
        stored(mails, "header line without colon", "From: a@example.com\r\nthis line has no colon\r\nSubject: colonless\r\n"
                + ": no name\r\nX-Ok: yes\r\n\r\nbody\r\n");
        stored(mails, "folded first line and spaces before colons", " folded start\r\nFrom : a@example.com\r\n"
                + "Subject\t: spaced\r\n\r\nbody\r\n");
        stored(mails, "bad base64 and quoted-printable", head + "Subject: bad encodings\r\n"
                + "Content-Type: multipart/mixed; boundary=q\r\n\r\n"
                + "--q\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\n=4=\r\n=\r\n"
                + "--q\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!*** not base64 ===\r\n"
                + "--q\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 a\r\n\u00ff\u00ff\r\n"
                + "--q--\r\n");
        stored(mails, "a thousand parameters and a broken Content-Type", head + "Subject: params\r\n"
                + "Content-Type: text/plain; " + "p=\"v\"; ".repeat(1000) + "charset=\"\r\n"
                + "Content-Disposition: ;;;=;\r\n\r\nbody\r\n");
        stored(mails, "a hundred nested attached messages", nestedMessages(100));
        stored(mails, "100,000 addresses", "From: a@example.com\r\nSubject: everyone\r\nTo: "
                + "x@example.com, ".repeat(100_000) + "last@example.com\r\n\r\nbody\r\n");
        return mails;
    }

    /** A base64 attachment that decodes to {@code decodedBytes} bytes: over the attachment limit, kept as metadata only. */
    public static byte[] largeAttachment(int decodedBytes) {
        byte[] data = new byte[decodedBytes];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >>> 11));
        }
        return ascii("From: a@example.com\r\nSubject: large attachment\r\nDate: Mon, 16 Nov 2026 10:00:00 +0000\r\n"
                + "Content-Type: multipart/mixed; boundary=big\r\n\r\n--big\r\nContent-Type: text/plain\r\n\r\nlarge\r\n"
                + "--big\r\nContent-Type: application/octet-stream; name=large.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(data) + "\r\n--big--\r\n");
    }

    static synchronized byte[] gzipBomb() {
        if (gzipBomb == null) {
            gzipBomb = gzip();
        }
        return gzipBomb;
    }

    static synchronized byte[] zipBomb() {
        if (zipBomb == null) {
            zipBomb = zip();
        }
        return zipBomb;
    }

    private static byte[] gzip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            writeZeros(gzip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] zip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            writeZeros(zip);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeZeros(java.io.OutputStream out) throws IOException {
        byte[] zeros = new byte[1024 * 1024];
        for (int i = 0; i < BOMB_BYTES / zeros.length; i++) {
            out.write(zeros);
        }
    }

    private static String nestedMessages(int depth) {
        StringBuilder mail = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            mail.append("From: a@example.com\r\nSubject: level ").append(i).append("\r\nContent-Type: message/rfc822\r\n\r\n");
        }
        return mail.append("From: a@example.com\r\nSubject: bottom\r\n\r\nthe bottom\r\n").toString();
    }

    private static void stored(Map<String, Case> mails, String name, String raw) {
        mails.put(name, new Case(ascii(raw), false));
    }

    private static void quarantined(Map<String, Case> mails, String name, String raw) {
        mails.put(name, new Case(ascii(raw), true));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
