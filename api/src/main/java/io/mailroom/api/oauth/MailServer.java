package io.mailroom.api.oauth;

/**
 * A mail server endpoint.
 *
 * @param security {@code ssl}, {@code starttls} or {@code none}
 */
public record MailServer(String host, int port, String security) {
}
