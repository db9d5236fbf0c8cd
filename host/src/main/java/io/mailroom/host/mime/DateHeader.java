package io.mailroom.host.mime;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the dates mail actually carries. Besides RFC 5322 ({@code Mon, 3 Feb 2025 10:00:00 +0100})
 * that means two-digit years, missing seconds or weekday, zone names ({@code EST}, {@code CET}),
 * missing zones (taken as UTC), {@code 03-Feb-2025}, asctime order ({@code Mon Feb  3 10:00:00
 * 2025}), ISO-8601 and trailing comments. The fields are found by shape rather than by position.
 * Returns null for anything without a day, a month and a year, or outside 1900–2200.
 */
final class DateHeader {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z]+|[+-]\\d{4}|[+-]\\d{1,2}:\\d{2}|\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\.\\d+)?|\\d+");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\.\\d+)?");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
            "sep", "oct", "nov", "dec");
    private static final Map<String, Integer> ZONES = Map.ofEntries(
            Map.entry("ut", 0), Map.entry("utc", 0), Map.entry("gmt", 0), Map.entry("z", 0),
            Map.entry("wet", 0), Map.entry("bst", 60), Map.entry("west", 60), Map.entry("cet", 60),
            Map.entry("met", 60), Map.entry("cest", 120), Map.entry("mest", 120), Map.entry("eet", 120),
            Map.entry("eest", 180), Map.entry("msk", 180), Map.entry("ist", 330), Map.entry("jst", 540),
            Map.entry("kst", 540), Map.entry("aest", 600), Map.entry("edt", -240), Map.entry("est", -300),
            Map.entry("cdt", -300), Map.entry("cst", -360), Map.entry("mdt", -360), Map.entry("mst", -420),
            Map.entry("pdt", -420), Map.entry("pst", -480), Map.entry("akst", -540), Map.entry("hst", -600));

    private DateHeader() {
    }

    /** The instant, or null when the text holds no usable date. */
    static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant iso = parseIso(text.strip());
        if (iso != null) {
            return iso;
        }
        Integer month = null;
        Integer offsetMinutes = null;
        Integer namedZone = null;
        int[] time = null;
        List<String> numbers = new ArrayList<>();
        Matcher m = TOKEN.matcher(withoutComments(text));
        while (m.find()) {
            String token = m.group();
            char c = token.charAt(0);
            if (Character.isLetter(c)) {
                String word = token.toLowerCase(Locale.ROOT);
                if (month == null && word.length() >= 3 && MONTHS.contains(word.substring(0, 3))) {
                    month = MONTHS.indexOf(word.substring(0, 3)) + 1;
                } else if (namedZone == null && ZONES.containsKey(word)) {
                    namedZone = ZONES.get(word);
                }
            } else if (c == '+' || c == '-') {
                if (time == null && token.indexOf(':') < 0) {
                    numbers.add(token.substring(1)); // "03-Feb-2025"
                } else if (offsetMinutes == null) {
                    offsetMinutes = offset(token);
                }
            } else if (token.indexOf(':') > 0) {
                if (time == null) {
                    Matcher t = TIME.matcher(token);
                    if (t.matches()) {
                        time = new int[] {Integer.parseInt(t.group(1)), Integer.parseInt(t.group(2)),
                                t.group(3) == null ? 0 : Integer.parseInt(t.group(3))};
                    }
                }
            } else if (token.length() <= 4) {
                numbers.add(token);
            }
        }
        if (month == null || numbers.size() < 2) {
            return null;
        }
        String dayToken = numbers.get(0);
        String yearToken = numbers.get(1);
        if (dayToken.length() > 2 && yearToken.length() <= 2) { // "2025 Feb 3"
            String swap = dayToken;
            dayToken = yearToken;
            yearToken = swap;
        }
        int day = Integer.parseInt(dayToken);
        int year = Integer.parseInt(yearToken);
        if (yearToken.length() <= 2) { // RFC 5322 §4.3: two-digit years
            year += year < 50 ? 2000 : 1900;
        }
        if (year < 1900 || year > 2200) {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(year, month, day,
                    time == null ? 0 : Math.min(time[0], 23), time == null ? 0 : Math.min(time[1], 59),
                    time == null ? 0 : Math.min(time[2], 59));
            int offset = offsetMinutes != null ? offsetMinutes : namedZone != null ? namedZone : 0;
            return local.toInstant(ZoneOffset.ofTotalSeconds(offset * 60));
        } catch (DateTimeException invalidDayOrOffset) {
            return null;
        }
    }

    private static Instant parseIso(String text) {
        if (text.length() < 10 || !Character.isDigit(text.charAt(0)) || text.charAt(4) != '-') {
            return null;
        }
        text = text.replaceFirst(" ", "T");
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException notIso) {
                return null;
            }
        }
    }

    private static Integer offset(String token) {
        String digits = token.substring(1).replace(":", "");
        if (digits.length() <= 2) {
            digits = digits + "00";
        }
        if (digits.length() == 3) {
            digits = "0" + digits;
        }
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = Integer.parseInt(digits.substring(2, 4));
        if (hours > 18 || minutes > 59) {
            return null;
        }
        int total = hours * 60 + minutes;
        return token.charAt(0) == '-' ? -total : total;
    }

    /** Each "(...)" becomes a space; an unclosed "(" keeps the rest. One pass (the regex it replaces was quadratic on many "("). */
    private static String withoutComments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '(') {
                out.append(c);
                i++;
                continue;
            }
            int close = text.indexOf(')', i + 1);
            if (close < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(' ');
            i = close + 1;
        }
        return out.toString();
    }
}
