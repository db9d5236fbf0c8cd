package io.mailroom.testkit.oauth;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.oauth.AccountEmail;
import io.mailroom.api.oauth.MailServer;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.oauth.OAuthSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A well-behaved provider that reads the account's address from a userinfo endpoint. */
public class SampleProvider implements OAuthProvider {

    @Override
    public String id() {
        return "sample";
    }

    @Override
    public List<SettingDescriptor> installationSettings() {
        List<SettingDescriptor> settings = new ArrayList<>(OAuthSettings.clientRegistration("The client id.", "The secret."));
        settings.addAll(OAuthSettings.endpoints("https://login.sample.invalid/authorize",
                "https://login.sample.invalid/token", "https://login.sample.invalid/userinfo"));
        return List.copyOf(settings);
    }

    @Override
    public List<String> scopes(String protocol) {
        return protocol.equals("pop3") || protocol.equals("smtp") ? List.of("mail") : List.of();
    }

    @Override
    public AccountEmail accountEmail() {
        return AccountEmail.fromUserinfo("email");
    }

    @Override
    public Map<String, MailServer> defaultServers() {
        return Map.of("pop3", new MailServer("pop.sample.invalid", 995, "ssl"));
    }
}
