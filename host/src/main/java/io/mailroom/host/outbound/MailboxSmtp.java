package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.api.AddressRefusedException;
import io.mailroom.host.errors.ApiException;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxSection;
import io.mailroom.host.network.PrivateAddressPolicy;
import io.mailroom.host.secrets.SecretSealer;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code smtp} field of a mailbox: where it sends from. The object given replaces the stored
 * one, except the password, which is write-only: left out, it is kept while host, port, security
 * and username stay the same, and dropped when any of them changes, so whoever may edit a
 * mailbox cannot point it at their own server and receive its password. Hosts follow the
 * private-address rule of the source.
 */
public final class MailboxSmtp implements MailboxSection {

    private static final Set<String> FIELDS = Set.of("host", "port", "security", "username", "password",
            "rate_per_minute", "signature_text", "signature_html", "save_sent");
    static final int MAX_SIGNATURE = 64 * 1024;

    private final Jdbi jdbi;
    private final SecretSealer sealer;
    private final PrivateAddressPolicy addresses;

    public MailboxSmtp(Jdbi jdbi, SecretSealer sealer, PrivateAddressPolicy addresses) {
        this.jdbi = jdbi;
        this.sealer = sealer;
        this.addresses = addresses;
    }

    @Override
    public String name() {
        return "smtp";
    }

    @Override
    public void check(JsonNode given) {
        if (given.isNull()) {
            return;
        }
        parse(given);
    }

    @Override
    public void save(Mailbox mailbox, JsonNode given) {
        SmtpSettingsDao dao = jdbi.onDemand(SmtpSettingsDao.class);
        if (given.isNull()) {
            dao.delete(mailbox.id());
            return;
        }
        Given in = parse(given);
        String password;
        if (in.password() != null) {
            password = in.password().isEmpty() ? null : sealer.seal(in.password(), SmtpSettings.secretContext(mailbox.id()));
        } else {
            password = dao.find(mailbox.id())
                    .filter(old -> old.sameLogin(in.host(), in.port(), in.security(), in.username()))
                    .map(SmtpSettings::password).orElse(null);
        }
        dao.save(new SmtpSettings(mailbox.id(), in.host(), in.port(), in.security(), in.username(), password,
                in.ratePerMinute(), in.signatureText(), in.signatureHtml(), in.saveSent()));
    }

    /**
     * The server a mailbox's OAuth provider declares for {@code smtp}, given to a mailbox that has
     * no SMTP settings when it is connected or authorized: it then sends with XOAUTH2 and its
     * tokens, logging in as its source's username. Settings an admin gave are kept.
     */
    public void defaultTo(long mailboxId, String host, int port, String security) {
        jdbi.onDemand(SmtpSettingsDao.class).saveIfAbsent(new SmtpSettings(mailboxId, host, port, security, null, null,
                SmtpSettings.DEFAULT_RATE_PER_MINUTE, null, null, null));
    }

    @Override
    public Object show(Mailbox mailbox) {
        return jdbi.onDemand(SmtpSettingsDao.class).find(mailbox.id()).map(settings -> {
            Map<String, Object> shown = shown(settings);
            shown.put("save_sent", settings.savesSent(mailbox.source()));
            return shown;
        }).orElse(null);
    }

    static Map<String, Object> shown(SmtpSettings settings) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("host", settings.host());
        shown.put("port", settings.port());
        shown.put("security", settings.security());
        shown.put("username", settings.username());
        shown.put("password_set", settings.password() != null);
        shown.put("rate_per_minute", settings.ratePerMinute());
        shown.put("signature_text", settings.signatureText());
        shown.put("signature_html", settings.signatureHtml());
        return shown;
    }

    private record Given(String host, int port, String security, String username, String password, int ratePerMinute,
                         String signatureText, String signatureHtml, Boolean saveSent) {
    }

    private Given parse(JsonNode given) {
        if (!given.isObject()) {
            throw ApiException.invalid("smtp", "smtp must be an object (or null to remove it)");
        }
        given.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw ApiException.invalid("smtp." + field, "unknown setting " + field);
            }
        });
        String host = text(given, "host", 253);
        if (host == null || host.isBlank()) {
            throw ApiException.invalid("smtp.host", "host is required");
        }
        host = host.strip();
        try {
            addresses.checkHost(host);
        } catch (AddressRefusedException e) {
            throw ApiException.invalid("smtp.host", e.getMessage());
        }
        String security = text(given, "security", 16);
        security = security == null ? "starttls" : security;
        if (!Set.of("ssl", "starttls", "none").contains(security)) {
            throw ApiException.invalid("smtp.security", "security must be ssl, starttls or none");
        }
        int port = number(given, "port", 1, 65535, switch (security) {
            case "ssl" -> 465;
            case "starttls" -> 587;
            default -> 25;
        });
        String username = text(given, "username", 320);
        String password = text(given, "password", 4096);
        int rate = number(given, "rate_per_minute", 1, 10_000, SmtpSettings.DEFAULT_RATE_PER_MINUTE);
        return new Given(host, port, security, username == null || username.isEmpty() ? null : username, password,
                rate, text(given, "signature_text", MAX_SIGNATURE), text(given, "signature_html", MAX_SIGNATURE),
                flag(given, "save_sent"));
    }

    private static String text(JsonNode given, String field, int maxLength) {
        JsonNode value = given.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid("smtp." + field, field + " must be a string");
        }
        String text = value.asText();
        if (text.length() > maxLength) {
            throw ApiException.invalid("smtp." + field, field + " is longer than " + maxLength + " characters");
        }
        if (!field.startsWith("signature") && HeaderText.hasControl(text)) {
            throw ApiException.invalid("smtp." + field, field + " must not contain line breaks or NUL");
        }
        return text;
    }

    private static Boolean flag(JsonNode given, String field) {
        JsonNode value = given.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid("smtp." + field, field + " must be true or false (or null for the default)");
        }
        return value.asBoolean();
    }

    private static int number(JsonNode given, String field, int min, int max, int otherwise) {
        JsonNode value = given.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            throw ApiException.invalid("smtp." + field, field + " must be a whole number from " + min + " to " + max);
        }
        return value.asInt();
    }
}
