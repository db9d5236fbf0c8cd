package io.mailroom.host.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Messages for fuzzing the parser: generated from a grammar of header fields, MIME types,
 * boundaries (right, wrong, missing, reused), transfer encodings, charsets and line ends, then
 * sometimes mutated; or one of the small broken messages of the corpus, mutated; or random bytes.
 * The same random source gives the same message.
 */
public final class MailGrammar {

    private static final String[] FIELDS = {"From", "To", "Cc", "Bcc", "Reply-To", "Sender", "Subject", "Date",
            "Message-ID", "In-Reply-To", "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
            "Content-Disposition", "Content-ID", "Received", "Auto-Submitted", "Precedence", "List-Id",
            "X-Spam-Flag", "Return-Path", "X-Mailer"};
    private static final String[] TYPES = {"text/plain", "text/html", "text/enriched", "application/pdf",
            "application/octet-stream", "application/gzip", "image/png", "message/rfc822", "message/delivery-status",
            "text/rfc822-headers", "multipart/mixed", "multipart/alternative", "multipart/related", "multipart/report",
            "multipart/digest", "multipart/signed", "multipart/", "/", "text", "x/y; z", ""};
    private static final String[] CHARSETS = {"utf-8", "UTF8", "iso-8859-1", "windows-1252", "us-ascii", "koi8-r",
            "shift_jis", "gb2312", "utf-16", "utf-16le", "utf-32", "x-unknown", "x-klingon", "", "\"utf-8\"", "utf-7",
            "ISO-2022-JP", "../../x", "utf-8*en", "c".repeat(80)};
    private static final String[] ENCODINGS = {"7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode",
            "BASE64 ", "\"base64\"", "8bits", "gzip", ""};
    private static final String[] WORDS = {"invoice", "Re:", "Fwd:", "AW:", "[list]", "hello", "\u00e9t\u00e9",
            "\u65e5\u672c", "\u0000", "\t", "  ", "\"", "(", ")", "<", ">", ",", ";", ":", "@", "\\", "=?", "?=", "%",
            "--", "\u00ff", "\u200b", "\ud83d\ude00"};

    private MailGrammar() {
    }

    /** A message, a mutated one, a mutated corpus message, or random bytes. */
    public static byte[] any(SplittableRandom random) {
        int kind = random.nextInt(20);
        if (kind < 11) {
            return message(random);
        }
        if (kind < 15) {
            return mutate(random, message(random));
        }
        if (kind < 18) {
            List<byte[]> small = smallCorpus();
            return mutate(random, small.get(random.nextInt(small.size())));
        }
        return kind == 18 ? randomBytes(random, random.nextInt(2000)) : randomLines(random);
    }

    /** A message from the grammar; its line ends are CRLF, LF, CR or mixed. */
    public static byte[] message(SplittableRandom random) {
        StringBuilder mail = new StringBuilder();
        headers(random, mail, random.nextInt(12));
        entity(random, mail, 0);
        String text = mail.toString();
        return switch (random.nextInt(8)) {
            case 0 -> bytes(text.replace("\r\n", "\n"));
            case 1 -> bytes(text.replace("\r\n", "\r"));
            case 2 -> bytes(mixLineEnds(random, text));
            case 3 -> text.getBytes(StandardCharsets.UTF_8);
            default -> bytes(text);
        };
    }

    private static List<byte[]> smallCorpus;

    /** The corpus messages small enough to mutate quickly. */
    public static synchronized List<byte[]> smallCorpus() {
        if (smallCorpus == null) {
            List<byte[]> small = new ArrayList<>();
            for (BrokenMail.Case mail : BrokenMail.byName().values()) {
                if (mail.raw().length < 64 * 1024) {
                    small.add(mail.raw());
                }
            }
            for (Map.Entry<String, byte[]> mail : HostileMail.byName().entrySet()) {
                if (mail.getValue().length < 64 * 1024) {
                    small.add(mail.getValue());
                }
            }
            smallCorpus = List.copyOf(small);
        }
        return smallCorpus;
    }

    private static void headers(SplittableRandom random, StringBuilder mail, int extra) {
        if (random.nextInt(8) != 0) {
            field(mail, "From", address(random));
        }
        if (random.nextInt(4) != 0) {
            field(mail, "Subject", text(random, 1 + random.nextInt(8)));
        }
        for (int i = 0; i < extra; i++) {
            String name = random.nextInt(10) == 0 ? token(random) : FIELDS[random.nextInt(FIELDS.length)];
            field(mail, name, value(random, name));
        }
        if (random.nextInt(20) == 0) {
            mail.append(random.nextBoolean() ? "a line without a colon\r\n" : " folded: first\r\n");
        }
    }

    private static void field(StringBuilder mail, String name, String value) {
        mail.append(name).append(": ").append(value).append("\r\n");
    }

    private static String value(SplittableRandom random, String name) {
        return switch (name) {
            case "From", "To", "Cc", "Bcc", "Reply-To", "Sender" -> {
                StringBuilder list = new StringBuilder(address(random));
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.append(random.nextBoolean() ? ", " : ";").append(address(random));
                }
                yield list.toString();
            }
            case "Date" -> pick(random, "Mon, 16 Nov 2026 10:00:00 +0000", "16 Nov 2026 10:00 GMT", "yesterday",
                    "Mon, 99 Foo 99999 99:99:99 +9999", "2026-11-16T10:00:00Z", "", "Tue, 1 Jan 1970 00:00:00 -2400");
            case "Message-ID", "In-Reply-To", "References" -> {
                StringBuilder ids = new StringBuilder();
                for (int i = random.nextInt(4); i >= 0; i--) {
                    ids.append(random.nextInt(5) == 0 ? text(random, 1) : "<" + token(random) + "@" + token(random) + ">")
                            .append(' ');
                }
                yield ids.toString().strip();
            }
            case "Content-Type" -> contentType(random, TYPES[random.nextInt(TYPES.length)], token(random));
            case "Content-Transfer-Encoding" -> ENCODINGS[random.nextInt(ENCODINGS.length)];
            case "Content-Disposition" -> disposition(random);
            default -> text(random, random.nextInt(6));
        };
    }

    private static String address(SplittableRandom random) {
        String email = token(random) + (random.nextInt(10) == 0 ? "" : "@" + token(random) + ".example");
        return switch (random.nextInt(7)) {
            case 0 -> email;
            case 1 -> "\"" + text(random, 2) + "\" <" + email + ">";
            case 2 -> encodedWord(random, text(random, 2)) + " <" + email + ">";
            case 3 -> email + " (" + text(random, 2) + ")";
            case 4 -> "group: " + email + ";";
            case 5 -> text(random, 3);
            default -> token(random) + " <" + email;
        };
    }

    private static String contentType(SplittableRandom random, String type, String boundary) {
        StringBuilder value = new StringBuilder(type);
        if (type.startsWith("multipart") || random.nextInt(6) == 0) {
            value.append(random.nextBoolean() ? "; boundary=\"" + boundary + "\"" : "; boundary=" + boundary);
        }
        if (random.nextInt(3) == 0) {
            value.append("; charset=").append(CHARSETS[random.nextInt(CHARSETS.length)]);
        }
        if (random.nextInt(6) == 0) {
            value.append("; name=").append(filename(random));
        }
        if (random.nextInt(10) == 0) {
            value.append("; format=flowed; delsp=yes");
        }
        if (random.nextInt(15) == 0) {
            value.append(";;=;\"");
        }
        return value.toString();
    }

    private static String disposition(SplittableRandom random) {
        return pick(random, "attachment", "inline", "", "form-data") + (random.nextBoolean() ? "; filename=" + filename(random) : "");
    }

    private static String filename(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> "\"" + text(random, 2) + ".pdf\"";
            case 1 -> "\"" + encodedWord(random, "r\u00e9sum\u00e9.doc") + "\"";
            case 2 -> "\"../../" + token(random) + "\"";
            case 3 -> token(random) + ".txt";
            case 4 -> "\"" + "n".repeat(random.nextInt(600)) + "\"";
            default -> "\"" + text(random, 1) + "\"; filename*=" + CHARSETS[random.nextInt(CHARSETS.length)]
                    + "''%" + Integer.toHexString(random.nextInt(256)) + "%E9x";
        };
    }

    /** A body: a leaf, or a multipart with right, wrong, missing or reused boundaries. */
    private static void entity(SplittableRandom random, StringBuilder mail, int depth) {
        boolean multipart = depth < 4 && random.nextInt(3) == 0;
        if (!multipart) {
            String type = TYPES[random.nextInt(10)];
            String encoding = ENCODINGS[random.nextInt(ENCODINGS.length)];
            if (random.nextBoolean()) {
                field(mail, "Content-Type", contentType(random, type, "x"));
            }
            if (random.nextBoolean()) {
                field(mail, "Content-Transfer-Encoding", encoding);
            }
            if (random.nextInt(4) == 0) {
                field(mail, "Content-Disposition", disposition(random));
            }
            mail.append("\r\n").append(body(random, encoding.strip().replace("\"", "").toLowerCase(), type));
            return;
        }
        String boundary = depth > 0 && random.nextInt(5) == 0 ? "b0" : "b" + depth + token(random);
        String declared = switch (random.nextInt(8)) {
            case 0 -> "wrong";
            case 1 -> "";
            default -> boundary;
        };
        field(mail, "Content-Type", contentType(random, pick(random, "multipart/mixed", "multipart/alternative",
                "multipart/related", "multipart/report", "multipart/digest"), declared));
        boolean encoded = random.nextInt(10) == 0;
        if (encoded) {
            field(mail, "Content-Transfer-Encoding", "base64");
        }
        StringBuilder parts = new StringBuilder("\r\n");
        if (random.nextInt(4) == 0) {
            parts.append(text(random, 5)).append("\r\n");
        }
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            parts.append(random.nextInt(15) == 0 ? "text --" + boundary + " " : "--" + boundary).append("\r\n");
            entity(random, parts, depth + 1);
            parts.append("\r\n");
        }
        if (random.nextInt(4) != 0) {
            parts.append("--").append(boundary).append("--\r\n");
        }
        if (random.nextInt(4) == 0) {
            parts.append(text(random, 3)).append("\r\n");
        }
        mail.append(encoded ? "\r\n" + Base64.getMimeEncoder().encodeToString(bytes(parts.toString())) + "\r\n" : parts);
    }

    private static String body(SplittableRandom random, String encoding, String type) {
        String content = type.equals("text/html") ? html(random) : random.nextInt(5) == 0
                ? new String(randomBytes(random, random.nextInt(300)), StandardCharsets.ISO_8859_1)
                : text(random, random.nextInt(40)).replace("\u0000", "") + "\r\n";
        return switch (encoding) {
            case "base64" -> random.nextInt(6) == 0 ? "!!*" + content : Base64.getMimeEncoder()
                    .encodeToString(content.getBytes(StandardCharsets.UTF_8)) + "\r\n";
            case "quoted-printable" -> content.replace("=", "=3D") + pick(random, "=\r\n", "=4", "=ZZ", "=E9=", "") + "\r\n";
            case "x-uuencode" -> "begin 644 f\r\n" + content + "\r\nend\r\n";
            default -> content;
        };
    }

    private static String html(SplittableRandom random) {
        StringBuilder html = new StringBuilder();
        int depth = random.nextInt(30);
        for (int i = 0; i < depth; i++) {
            html.append(pick(random, "<div>", "<p>", "<table><tr><td>", "<b>", "<script>", "<style>p{x:y}", "<a href=\"javascript:x\">",
                    "<img src=cid:x onerror=alert(1)>", "<!--", "<meta charset=\"" + CHARSETS[random.nextInt(CHARSETS.length)] + "\">"));
            html.append(text(random, 2));
        }
        return html.toString();
    }

    private static String text(SplittableRandom random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                text.append(' ');
            }
            int kind = random.nextInt(10);
            text.append(kind == 0 ? encodedWord(random, WORDS[random.nextInt(WORDS.length)]) : kind < 4
                    ? WORDS[random.nextInt(WORDS.length)] : token(random));
        }
        return text.toString();
    }

    private static String encodedWord(SplittableRandom random, String text) {
        String charset = CHARSETS[random.nextInt(CHARSETS.length)];
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return random.nextBoolean()
                ? "=?" + charset + "?B?" + Base64.getEncoder().encodeToString(bytes) + (random.nextInt(8) == 0 ? "" : "?=")
                : "=?" + charset + "?q?" + text.replace(' ', '_') + "?=";
    }

    private static String token(SplittableRandom random) {
        int length = 1 + random.nextInt(random.nextInt(20) == 0 ? 200 : 10);
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append((char) ('a' + random.nextInt(26)));
        }
        return token.toString();
    }

    /** Byte-level changes: flips, inserts of bytes or MIME syntax, deletions, duplications, truncation. */
    public static byte[] mutate(SplittableRandom random, byte[] raw) {
        byte[] out = raw;
        for (int n = 1 + random.nextInt(4); n > 0 && out.length > 0; n--) {
            int at = random.nextInt(out.length);
            out = switch (random.nextInt(7)) {
                case 0 -> {
                    byte[] flipped = out.clone();
                    flipped[at] = (byte) random.nextInt(256);
                    yield flipped;
                }
                case 1 -> splice(out, at, at, randomBytes(random, 1 + random.nextInt(16)));
                case 2 -> splice(out, at, Math.min(out.length, at + random.nextInt(64)), new byte[0]);
                case 3 -> splice(out, at, at, java.util.Arrays.copyOfRange(out, at, Math.min(out.length, at + random.nextInt(256))));
                case 4 -> java.util.Arrays.copyOf(out, at);
                case 5 -> splice(out, at, at, bytes(pick(random, "\r\n--", "\r\n\r\n", "\r\n--b--\r\n", "=?utf-8?B?", "?=",
                        "\r\nContent-Type: multipart/mixed; boundary=b\r\n", "\u0000", "\r", "\n", "\r\n ", ":")));
                default -> splice(out, at, at, bytes("\r\n" + FIELDS[random.nextInt(FIELDS.length)] + ": " + text(random, 3)));
            };
        }
        return out;
    }

    private static byte[] splice(byte[] raw, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + insert.length);
        out.write(raw, 0, from);
        out.writeBytes(insert);
        out.write(raw, to, raw.length - to);
        return out.toByteArray();
    }

    static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] randomLines(SplittableRandom random) {
        StringBuilder lines = new StringBuilder();
        for (int i = random.nextInt(30); i > 0; i--) {
            lines.append(text(random, random.nextInt(6))).append(pick(random, "\r\n", "\n", "\r", ": ", ":\r\n"));
        }
        return bytes(lines.toString());
    }

    private static String mixLineEnds(SplittableRandom random, String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\r\n", -1)) {
            out.append(line).append(pick(random, "\r\n", "\n", "\r", "\r\r\n"));
        }
        return out.toString();
    }

    private static String pick(SplittableRandom random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
