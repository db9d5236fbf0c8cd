package io.mailroom.host.mime;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key a subject is threaded by: the subject without what mail clients and lists put in front
 * of it, so that "AW: [support] RE: Invoice 42" and "invoice 42" meet in one thread.
 *
 * <p>Removed from the start, repeatedly, in any order and case:
 * <ul>
 * <li>reply and forward prefixes followed by {@code :} (or a full-width {@code ：}), optionally
 *     with a counter ({@code Re[2]:}, {@code RE(3):}, {@code Re^2:}). The list:
 *     English {@code Re Fw Fwd}; German {@code AW WG Antw Antwort}; Dutch {@code Antw Doorst};
 *     Danish/Norwegian/Swedish {@code SV VS VB}; Finnish {@code VS VL}; French {@code Réf Ref TR};
 *     Italian {@code RIF I}; Spanish {@code RV}; Portuguese {@code RES ENC}; Polish {@code Odp PD};
 *     Czech {@code Odp Fw}; Turkish {@code YNT İLT}; Hungarian {@code Vá Továbbítás}; Greek
 *     {@code ΑΠ ΣΧΕΤ ΠΡΘ}; Russian {@code Ответ Отв}; Chinese {@code 回复 答复 回覆 转发 轉寄};
 *     Japanese {@code 返信 転送}.</li>
 * <li>bracketed tags: list names and gateway markers such as {@code [support]}, {@code [EXT]},
 *     {@code [EXTERNAL]}, {@code (fwd)} at the end.</li>
 * </ul>
 * Then whitespace is collapsed and the text case-folded (NFKC, lower case), so that full-width
 * and composed forms match. An empty or missing subject gives an empty key; the caller should not
 * thread by an empty key.
 */
public final class SubjectKey {

    private static final Pattern PREFIX = Pattern.compile(
            "(?:re|fwd?|aw|wg|antw|antwort|doorst|sv|vs|vb|vl|réf|ref|tr|rif|i|rv|res|enc|odp|pd|ynt|i̇lt|İlt|ilt"
            + "|vá|továbbítás|απ|σχετ|πρθ|ответ|отв|回复|答复|回覆|转发|轉寄|返信|転送)"
            + "\\s*(?:\\[\\d+]|\\(\\d+\\)|\\^\\d+)?\\s*[:：]\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TAG = Pattern.compile("\\[[^\\[\\]]{0,60}]\\s*");
    private static final Pattern TRAILING_FWD = Pattern.compile("\\((?:fwd|fw)\\)", Pattern.CASE_INSENSITIVE);

    /** Longer keys are cut: the key is indexed, and two subjects equal in their first 256 characters are one topic. */
    public static final int MAX_LENGTH = 256;

    private SubjectKey() {
    }

    /** The normalized key, at most {@value #MAX_LENGTH} characters; empty for a null or blank subject. */
    public static String of(String subject) {
        if (subject == null) {
            return "";
        }
        String s = WHITESPACE.matcher(Normalizer.normalize(subject, Normalizer.Form.NFKC)).replaceAll(" ").strip();
        // Prefixes, tags and markers are taken off by moving two indexes over the string, never by
        // cutting it: a subject of 100,000 "Re: " must cost one pass, not 100,000 copies.
        int start = 0;
        int end = s.length();
        Matcher prefix = PREFIX.matcher(s);
        Matcher tag = TAG.matcher(s);
        Matcher fwd = TRAILING_FWD.matcher(s);
        boolean changed = true;
        while (changed && start < end) {
            changed = false;
            if (prefix.region(start, end).lookingAt()) {
                start = prefix.end();
                changed = true;
            }
            if (start < end && tag.region(start, end).lookingAt()) {
                start = tag.end();
                changed = true;
            }
            int trimmed = withoutTrailingSpace(s, start, end);
            int from = trimmed - "(fw)".length();
            if (from >= start && fwd.region(from, trimmed).matches()) {
                end = from;
                changed = true;
            } else if (--from >= start && fwd.region(from, trimmed).matches()) {
                end = from;
                changed = true;
            }
        }
        String key = s.substring(start, end).toLowerCase(Locale.ROOT).strip();
        if (key.length() > MAX_LENGTH) {
            int cut = Character.isHighSurrogate(key.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
            key = key.substring(0, cut).strip();
        }
        return key;
    }

    private static int withoutTrailingSpace(String s, int start, int end) {
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return end;
    }
}
