package io.mailroom.plugins.imap;

import io.mailroom.api.source.MailSource;
import io.mailroom.testkit.ExtensionContract;

class ImapSourceTest implements ExtensionContract<MailSource> {

    @Override
    public MailSource extension() {
        return new ImapSource();
    }

    @Override
    public Class<MailSource> point() {
        return MailSource.class;
    }
}
