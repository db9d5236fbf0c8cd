package io.mailroom.plugins.pop3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two dates POP3 can tell about a message, both from its header (POP3 itself keeps none):
 * the sender's {@code Date} and the date of the topmost {@code Received} line, which the
 * receiving server wrote. Either is null when missing or unreadable.
 *
 * @param date     the {@code Date} header
 * @param received the date of the first {@code Received} header
 */
record MessageDates(Instant date, Instant received) {

    /** Header sections beyond this are not read for dates (TOP bodies and content alike). */
    static final int MAX_HEADER_BYTES = 256 * 1024;

    static final MessageDates UNKNOWN = new MessageDates(null, null);

    private static final Pattern COMMENT = Pattern.compile("\\([^()]*\\)");
    /** RFC 5322 date-time and its obsolete forms: optional weekday, 2- or 4-digit years, zone names. */
    private static final Pattern DATE_TIME = Pattern.compile(
            "^\\s*(?:[a-z]+\\s*,?\\s*)?(\\d{1,2})[\\s-]+([a-z]{3})[a-z]*\\.?[\\s-]+(\\d{2,4})\\s+"
                    + "(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2}))?(?:\\.\\d+)?\\s*([+-]\\d{2}:?\\d{2}|[a-z]{1,5})?",
            Pattern.CASE_INSENSITIVE);
    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3), Map.entry("apr", 4),
            Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8),
            Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> ZONE_HOURS = Map.of(
            "EDT", -4, "EST", -5, "CDT", -5, "CST", -6, "MDT", -6, "MST", -7, "PDT", -7, "PST", -8);

    /** The {@code Date}, or the received date when there is no readable {@code Date}. */
    Instant sent() {
        return date != null ? date : received;
    }

    /** The received date, or the {@code Date} when no {@code Received} line has one. */
    Instant arrived() {
        return received != null ? received : date;
    }

    /** Reads the dates from a message's header section (from the start of the message). */
    static MessageDates of(byte[] header) {
        String text = new String(header, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            end = text.indexOf("\n\n");
        }
        String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r?\n");
        String date = null;
        String received = null;
        StringBuilder field = null;
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i] : "";
            if (field != null && (line.startsWith(" ") || line.startsWith("\t"))) {
                field.append(' ').append(line.strip());
                continue;
            }
            if (field != null) {
                String whole = field.toString();
                String name = whole.substring(0, whole.indexOf(':')).strip().toLowerCase(Locale.ROOT);
                String value = whole.substring(whole.indexOf(':') + 1);
                if (name.equals("date") && date == null) {
                    date = value;
                } else if (name.equals("received") && received == null) {
                    received = value.substring(value.lastIndexOf(';') + 1);
                }
            }
            field = line.indexOf(':') > 0 ? new StringBuilder(line) : null;
        }
        return new MessageDates(parse(date), parse(received));
    }

    /** Reads the dates from the start of a message's content. */
    static MessageDates of(InputStream content) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        byte[] chunk = new byte[8 * 1024];
        int read;
        while (header.size() < MAX_HEADER_BYTES && (read = content.read(chunk)) >= 0) {
            header.write(chunk, 0, read);
            String soFar = header.toString(StandardCharsets.ISO_8859_1);
            if (soFar.contains("\r\n\r\n") || soFar.contains("\n\n")) {
                break;
            }
        }
        return of(header.toByteArray());
    }

    /** An RFC 5322 date-time, leniently; null when it cannot be read. */
    static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        String text = COMMENT.matcher(value).replaceAll(" ");
        Matcher m = DATE_TIME.matcher(text);
        if (!m.find()) {
            return null;
        }
        Integer month = MONTHS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (month == null) {
            return null;
        }
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) {
            year += year < 50 ? 2000 : 1900;
        } else if (m.group(3).length() == 3) {
            year += 1900;
        }
        int second = m.group(6) == null ? 0 : Math.min(59, Integer.parseInt(m.group(6)));
        try {
            LocalDateTime local = LocalDateTime.of(year, month, Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), second);
            return local.toInstant(zone(m.group(7)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneOffset zone(String zone) {
        if (zone == null) {
            return ZoneOffset.UTC;
        }
        if (zone.startsWith("+") || zone.startsWith("-")) {
            String digits = zone.replace(":", "");
            int hours = Integer.parseInt(digits.substring(1, 3));
            int minutes = Integer.parseInt(digits.substring(3, 5));
            if (hours > 18 || minutes > 59) {
                return ZoneOffset.UTC;
            }
            int sign = zone.startsWith("-") ? -1 : 1;
            return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        }
        // UT, GMT, Z, military letters (RFC 5322 says to read those as -0000) and unknown names
        return ZoneOffset.ofHours(ZONE_HOURS.getOrDefault(zone.toUpperCase(Locale.ROOT), 0));
    }

    /** Keeps the first {@link #MAX_HEADER_BYTES} of a TOP body and drops the rest. */
    static final class HeaderSink extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            if (bytes.size() < MAX_HEADER_BYTES) {
                bytes.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, Math.max(0, Math.min(len, MAX_HEADER_BYTES - bytes.size())));
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
