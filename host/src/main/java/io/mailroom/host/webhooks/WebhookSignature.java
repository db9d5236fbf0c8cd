package io.mailroom.host.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The {@code X-Mailroom-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}, the MAC
 * keyed with the webhook's secret (its UTF-8 bytes) over {@code "<t>.<body>"}. The timestamp is
 * inside the MAC so a receiver can refuse an old request replayed (see docs/rule-actions.md for
 * the check a receiver makes).
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Mailroom-Signature";

    private WebhookSignature() {
    }

    /** The header's value for {@code body} sent at {@code unixSeconds}. */
    public static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + mac(secret, unixSeconds, body);
    }

    /** The hex HMAC-SHA256 of {@code "<t>.<body>"} under {@code secret}. */
    public static String mac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
