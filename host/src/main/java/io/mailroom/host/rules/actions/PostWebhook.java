package io.mailroom.host.rules.actions;

import io.mailroom.api.AddressRefusedException;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.InvalidSettingException;
import io.mailroom.api.Outcome;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import io.mailroom.api.Settings;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.host.network.PrivateAddressPolicy;
import io.mailroom.host.webhooks.WebhookQueue;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * {@code webhook}: queues a POST of the message as JSON ({@link MessageJson}) to {@code url},
 * signed with {@code secret} ({@code X-Mailroom-Signature}), and returns at once; the host's
 * webhook worker delivers it with retries. The call's idempotency key is the delivery's, so a
 * repeated call queues nothing.
 *
 * <p>The URL is http or https, names a host, and carries no user name or password (they would be
 * shown wherever the URL is); a host that resolves to a private address is refused when the rule
 * is saved, for an early answer, and again by the worker when the request goes out.
 */
final class PostWebhook implements RuleAction {

    private final WebhookQueue queue;
    private final PrivateAddressPolicy addresses;

    PostWebhook(WebhookQueue queue, PrivateAddressPolicy addresses) {
        this.queue = queue;
        this.addresses = addresses;
    }

    @Override
    public String id() {
        return "webhook";
    }

    @Override
    public String name() {
        return "Webhook";
    }

    @Override
    public List<SettingDescriptor> dataSettings() {
        return List.of(
                SettingDescriptor.required("url", SettingType.STRING, "The http or https URL to POST the message to"),
                SettingDescriptor.required("secret", SettingType.STRING,
                        "The key of the X-Mailroom-Signature HMAC, shared with the receiver").asSecret());
    }

    @Override
    public void checkData(Settings data) {
        URI url = url(data.get("url"));
        try {
            addresses.checkHost(url.getHost());
        } catch (AddressRefusedException e) {
            throw new InvalidSettingException("url", e.getMessage());
        }
    }

    @Override
    public Outcome run(ActionCall call, ExtensionContext context) {
        boolean queued = queue.queue(new WebhookQueue.Request(call.idempotencyKey(), call.message().id(),
                call.message().mailboxId(), url(call.data().get("url")), call.data().get("secret"),
                MessageJson.of(call.message())));
        return Outcome.done(queued ? "queued" : "queued before");
    }

    private static URI url(String value) {
        DataChecks.line("url", value, 2000);
        URI url;
        try {
            url = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("url", "url is not a URL");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidSettingException("url", "url must be http or https");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new InvalidSettingException("url", "url names no host");
        }
        if (url.getRawUserInfo() != null) {
            throw new InvalidSettingException("url", "url must not carry a user name or password; the secret signs the request");
        }
        return url;
    }
}
