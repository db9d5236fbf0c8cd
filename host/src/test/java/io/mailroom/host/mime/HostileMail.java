package io.mailroom.host.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The malformed messages of issue 8, generated (no fixture files), for the parser's and the pipeline's tests. */
public final class HostileMail {

    private HostileMail() {
    }

    /** The dozen, as raw messages. */
    public static List<byte[]> dozen() {
        return List.copyOf(byName().values());
    }

    /** The dozen by what is wrong with each, in a stable order. */
    public static Map<String, byte[]> byName() {
        Map<String, byte[]> mails = new LinkedHashMap<>();
        StringBuilder headers = new StringBuilder("From: a@example.com\r\nSubject: many headers\r\n");
        for (int i = 0; i < 10_000; i++) {
            headers.append("X-H").append(i).append(": v\r\n");
        }
        mails.put("10,000 headers", ascii(headers + "\r\nbody\r\n"));

        StringBuilder nested = new StringBuilder("From: a@example.com\r\nSubject: nested\r\n");
        for (int i = 0; i < 200; i++) {
            nested.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        nested.append("Content-Type: text/plain\r\n\r\ndeep text\r\n");
        for (int i = 199; i >= 0; i--) {
            nested.append("--b").append(i).append("--\r\n");
        }
        mails.put("200 nested multiparts", ascii(nested.toString()));

        StringBuilder parts = new StringBuilder("From: a@example.com\r\nSubject: parts\r\n"
                + "Content-Type: multipart/mixed; boundary=p\r\n\r\n");
        for (int i = 0; i < 20_000; i++) {
            parts.append("--p\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        mails.put("20,000 parts", ascii(parts + "--p--\r\n"));

        mails.put("1 MB header line", ascii("From: a@example.com\r\nSubject: long header\r\nX-Long: "
                + "y".repeat(1024 * 1024) + "\r\n\r\nbody\r\n"));
        mails.put("4 MB of spaces", ascii("From: a@example.com\r\nSubject: spaces\r\nContent-Type: text/html\r\n\r\n<pre>"
                + " ".repeat(4 * 1024 * 1024) + "x</pre>\r\n"));
        mails.put("100,000 nested divs", ascii("From: a@example.com\r\nSubject: divs\r\nContent-Type: text/html\r\n\r\n"
                + "<div>".repeat(100_000) + "deep" + "</div>".repeat(100_000) + "\r\n"));
        mails.put("endless Re: subject", ascii("From: a@example.com\r\nSubject: " + "Re: ".repeat(250_000)
                + "loop\r\n\r\nbody\r\n"));
        mails.put("1 MB subject", ascii("From: a@example.com\r\nSubject: " + "s".repeat(1024 * 1024) + "\r\n\r\nbody\r\n"));
        mails.put("bad charset", ascii("From: a@example.com\r\nSubject: =?x-klingon?B?qqqq?= charset\r\n"
                + "Content-Type: text/plain; charset=\"x-klingon\u0001\"\r\n\r\n\u00ff\u00fe caf\u00e9\r\n"));
        mails.put("NUL bytes", ascii("From: a\u0000@example.com\r\nSubject: nul\u0000 bytes\r\n\r\nbo\u0000dy\u0000\r\n"));
        mails.put("300,000 tiny header fields", tinyFields(300_000));
        mails.put("1,000,000 parts", millionParts());
        return mails;
    }

    public static byte[] tinyFields(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("From: a@example.com\r\nSubject: tiny\r\n"));
        byte[] field = ascii("a:\r\n");
        for (int i = 0; i < count; i++) {
            out.writeBytes(field);
        }
        out.writeBytes(ascii("\r\nthe body\r\n"));
        return out.toByteArray();
    }

    public static byte[] millionParts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(12_000_000);
        out.writeBytes(ascii("From: a@example.com\r\nSubject: a million parts\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"));
        for (int i = 0; i < 1_000_000; i++) {
            out.writeBytes(ascii("--m\r\n\r\n" + (i < 3 ? String.valueOf(i) : "") + "\r\n"));
        }
        out.writeBytes(ascii("--m--\r\n"));
        return out.toByteArray();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
