package io.mailroom.plugins.ticketing;

import io.mailroom.api.sink.TicketSink;
import io.mailroom.testkit.ExtensionContract;

class TicketingSinkTest implements ExtensionContract<TicketSink> {

    @Override
    public TicketSink extension() {
        return new TicketingSink();
    }

    @Override
    public Class<TicketSink> point() {
        return TicketSink.class;
    }
}
