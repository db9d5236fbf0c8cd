package io.mailroom.host.mime;

import io.mailroom.api.message.Address;
import io.mailroom.api.message.Classification;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Says whether a message is a bounce, an automatic reply, bulk mail or normal, so that rules and
 * auto-replies do not answer machines (RFC 3834: never auto-reply to an auto-reply, a bounce or
 * a list). Bounce wins over auto-reply, which wins over bulk.
 *
 * <ul>
 * <li><b>Bounce</b>: a {@code multipart/report; report-type=delivery-status} or any
 *     {@code message/delivery-status} part (RFC 3464); an {@code X-Failed-Recipients} header; or a
 *     message from {@code mailer-daemon@}/{@code postmaster@} whose subject reads like a delivery
 *     failure.</li>
 * <li><b>Auto-reply</b>, from headers: {@code Auto-Submitted} other than {@code no} (RFC 3834),
 *     {@code X-Autoreply}, {@code X-Autorespond}, {@code X-Auto-Response-Suppress} together with an
 *     auto-reply subject, {@code Precedence: auto_reply}, a read receipt
 *     ({@code report-type=disposition-notification}), an empty {@code Return-Path: <>} (the null
 *     sender RFC 3834 §3.3 asks automatic mail to use; a delivery report with it is a bounce). From the subject alone ("Out of Office",
 *     "Automatic reply", "Abwesenheitsnotiz", ...) only when no header says bulk: subjects are a
 *     weaker signal than headers.</li>
 * <li><b>Bulk</b>: {@code Precedence: bulk|list|junk}, {@code List-Id}, {@code List-Unsubscribe},
 *     {@code List-Post}, {@code Feedback-ID}, {@code X-Campaign-Id}/{@code X-Mailchimp-*}-style
 *     sender headers.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class Classifier {

    private static final Pattern BOUNCE_SUBJECT = Pattern.compile(
            "(undeliver|undelivered|delivery (status )?notification|delivery (has )?failed|delivery failure"
            + "|mail delivery|returned mail|failure notice|could not be delivered|unzustellbar|non remis"
            + "|nicht zugestellt|non recapitabile|no se puede entregar|rejected|delivery problem)",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern AUTO_REPLY_SUBJECT = Pattern.compile(
            "^(out of (the )?office|automatic reply|auto[- ]?reply|auto[- ]?response|auto:|abwesenheitsnotiz|"
            + "automatische antwort|r[ée]ponse automatique|respuesta autom[aá]tica|fuera de la oficina|"
            + "risposta automatica|automatisch antwoord|resposta autom[aá]tica|automatisk svar|autosvar|"
            + "odpowied[źz] automatyczna)",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final List<String> BULK_HEADERS = List.of("list-id", "list-unsubscribe", "list-post",
            "feedback-id", "x-campaign-id", "x-campaignid", "x-mailchimp-campaign", "x-mc-user", "x-sfmc-stack",
            "x-mailgun-tag", "x-sg-eid", "x-ses-outgoing", "x-listmember", "x-mailing-list");

    public Classification classify(ParsedMessage message) {
        if (isBounce(message)) {
            return Classification.BOUNCE;
        }
        if (hasAutoReplyHeaders(message)) {
            return Classification.AUTO_REPLY;
        }
        if (isBulk(message)) {
            return Classification.BULK;
        }
        if (AUTO_REPLY_SUBJECT.matcher(message.subject()).find()) {
            return Classification.AUTO_REPLY;
        }
        return Classification.NORMAL;
    }

    private static boolean isBounce(ParsedMessage message) {
        HeaderValue contentType = HeaderValue.parse(message.firstHeader("content-type"));
        if (contentType.value().equals("multipart/report")
                && "delivery-status".equalsIgnoreCase(trim(contentType.param("report-type")))) {
            return true;
        }
        boolean dsnPart = message.attachments().stream().map(ParsedAttachment::contentType)
                .anyMatch(type -> type.equals("message/delivery-status") || type.equals("message/global-delivery-status"));
        if (dsnPart || !message.header("x-failed-recipients").isEmpty()) {
            return true;
        }
        return isMailerDaemon(message.from()) && BOUNCE_SUBJECT.matcher(message.subject()).find();
    }

    private static boolean isMailerDaemon(Address from) {
        if (from == null) {
            return false;
        }
        String local = from.email().contains("@") ? from.email().substring(0, from.email().indexOf('@')) : from.email();
        return local.equals("mailer-daemon") || local.equals("postmaster") || local.equals("mail-daemon");
    }

    private static boolean hasAutoReplyHeaders(ParsedMessage message) {
        for (String value : message.header("auto-submitted")) {
            String v = lower(value);
            if (!v.isEmpty() && !v.startsWith("no")) {
                return true;
            }
        }
        if (!message.header("x-autoreply").isEmpty() || !message.header("x-autorespond").isEmpty()
                || !message.header("x-autoreply-from").isEmpty() || !message.header("x-mail-autoreply").isEmpty()) {
            return true;
        }
        if (precedence(message).equals("auto_reply")) {
            return true;
        }
        String returnPath = message.firstHeader("return-path");
        if (returnPath != null && returnPath.replace("<", "").replace(">", "").isBlank()) {
            return true;
        }
        HeaderValue contentType = HeaderValue.parse(message.firstHeader("content-type"));
        if (contentType.value().equals("multipart/report")
                && "disposition-notification".equalsIgnoreCase(trim(contentType.param("report-type")))) {
            return true; // a read receipt (RFC 8098) is machine-generated
        }
        return !message.header("x-auto-response-suppress").isEmpty()
                && AUTO_REPLY_SUBJECT.matcher(message.subject()).find();
    }

    private static boolean isBulk(ParsedMessage message) {
        String precedence = precedence(message);
        if (precedence.equals("bulk") || precedence.equals("list") || precedence.equals("junk")) {
            return true;
        }
        return BULK_HEADERS.stream().anyMatch(name -> !message.header(name).isEmpty());
    }

    private static String precedence(ParsedMessage message) {
        String value = message.firstHeader("precedence");
        if (value == null) {
            value = message.firstHeader("x-precedence");
        }
        return value == null ? "" : lower(value);
    }

    private static String lower(String value) {
        return value.strip().toLowerCase(Locale.ROOT);
    }

    private static String trim(String value) {
        return value == null ? null : value.strip();
    }
}
