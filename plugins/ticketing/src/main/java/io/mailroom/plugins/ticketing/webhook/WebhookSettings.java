package io.mailroom.plugins.ticketing.webhook;

import io.mailroom.api.PermanentException;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.Settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** A mailbox's settings for the {@code webhook} sink. */
record WebhookSettings(URI url, String secret, int maxAttempts) {

    static final int DEFAULT_MAX_ATTEMPTS = 10;

    static List<SettingDescriptor> descriptors() {
        return List.of(
                SettingDescriptor.required("url", SettingType.STRING,
                        "Where each processed message is posted as JSON (http or https)."),
                SettingDescriptor.required("secret", SettingType.STRING,
                        "The key of the X-Mailroom-Signature HMAC; write-only.").asSecret(),
                SettingDescriptor.integer("max_attempts", DEFAULT_MAX_ATTEMPTS, 1, 50,
                        "How many posts are tried, with growing pauses, before a message is given up."));
    }

    static WebhookSettings from(Settings settings) {
        String url = settings.find("url").map(String::strip).orElse("");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new PermanentException("setting url is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null || uri.getUserInfo() != null) {
            throw new PermanentException("setting url must be an http or https URL with a host and no user");
        }
        String secret = settings.find("secret").orElse("");
        if (secret.isEmpty()) {
            throw new PermanentException("setting secret is empty");
        }
        int maxAttempts = settings.find("max_attempts").map(Integer::parseInt).orElse(DEFAULT_MAX_ATTEMPTS);
        return new WebhookSettings(uri, secret, maxAttempts);
    }

    @Override
    public String toString() {
        return "WebhookSettings[url=" + url + ", secret=***, maxAttempts=" + maxAttempts + "]";
    }
}
