package io.mailroom.plugins.ticketing.webhook;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.testkit.ExtensionContract;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSinkContractTest implements ExtensionContract<TicketSink> {

    @Override
    public TicketSink extension() {
        return new WebhookSink();
    }

    @Override
    public Class<TicketSink> point() {
        return TicketSink.class;
    }

    @Test
    void the_url_is_required_and_the_secret_is_sealed() {
        assertThat(new WebhookSink().mailboxSettings()).filteredOn(setting -> setting.name().equals("url"))
                .singleElement().extracting(SettingDescriptor::required).isEqualTo(true);
        assertThat(new WebhookSink().mailboxSettings()).filteredOn(setting -> setting.name().equals("secret"))
                .singleElement().satisfies(secret -> assertThat(secret.secret()).isTrue());
    }
}
