package io.mailroom.plugins.pop3;

import io.mailroom.api.source.MailSource;
import io.mailroom.testkit.ExtensionContract;

class Pop3SourceTest implements ExtensionContract<MailSource> {

    @Override
    public MailSource extension() {
        return new Pop3Source();
    }

    @Override
    public Class<MailSource> point() {
        return MailSource.class;
    }
}
