package io.mailroom.host.pipeline;

import io.mailroom.api.Extension;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.api.sink.TicketSink;

import java.util.Optional;

/**
 * The extensions the processing chain calls, looked up each time a message is processed, so
 * that a plugin's action or sink works as soon as its plugin starts and is reported as missing
 * once it is disabled ({@link PluginChainExtensions} in the host; tests give their own).
 */
public interface ChainExtensions {

    Optional<RuleAction> action(String id);

    Optional<TicketSink> sink(String id);

    /** The context the extension is called with: its plugin's, or the host's for a built-in. */
    ExtensionContext context(Extension extension);
}
