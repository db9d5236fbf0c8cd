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
            "^(?:re|fwd?|aw|wg|antw|antwort|doorst|sv|vs|vb|vl|réf|ref|tr|rif|i|rv|res|enc|odp|pd|ynt|i̇lt|İlt|ilt"
            + "|vá|továbbítás|απ|σχετ|πρθ|ответ|отв|回复|答复|回覆|转发|轉寄|返信|転送)"
            + "\\s*(?:\\[\\d+]|\\(\\d+\\)|\\^\\d+)?\\s*[:：]\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern TAG = Pattern.compile("^\\[[^\\[\\]]{0,60}]\\s*");
    private static final Pattern TRAILING_FWD = Pattern.compile("\\s*\\((?:fwd|fw)\\)\\s*$", Pattern.CASE_INSENSITIVE);

    private SubjectKey() {
    }

    /** The normalized key; empty for a null or blank subject. */
    public static String of(String subject) {
        if (subject == null) {
            return "";
        }
        String s = Normalizer.normalize(subject, Normalizer.Form.NFKC).replaceAll("\\s+", " ").strip();
        boolean changed = true;
        while (changed && !s.isEmpty()) {
            changed = false;
            Matcher prefix = PREFIX.matcher(s);
            if (prefix.find()) {
                s = s.substring(prefix.end());
                changed = true;
            }
            Matcher tag = TAG.matcher(s);
            if (tag.find()) {
                s = s.substring(tag.end());
                changed = true;
            }
            Matcher fwd = TRAILING_FWD.matcher(s);
            if (fwd.find()) {
                s = s.substring(0, fwd.start());
                changed = true;
            }
        }
        return s.toLowerCase(Locale.ROOT).strip();
    }
}
