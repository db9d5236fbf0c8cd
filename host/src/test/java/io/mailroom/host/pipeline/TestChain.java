package io.mailroom.host.pipeline;

import io.mailroom.api.Extension;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.rules.ActiveRule;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.secrets.SealedSettings;
import io.mailroom.host.secrets.SecretSealer;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The processing chain wired as {@code MailroomCore} wires it, with the rules, actions and sinks
 * a test gives (the host's come from the RuleBook and the plugins).
 */
final class TestChain implements ChainExtensions {

    final Map<String, RuleAction> actions = new HashMap<>();
    final Map<String, TicketSink> sinks = new HashMap<>();
    /** The context extensions are called with; a test may give one that sends mail. */
    ExtensionContext context = new PlainContext();
    /** How long a chain holds a message it took (mailroom.processing.lease). */
    Duration lease = Duration.ofMinutes(10);

    static final SealedSettings SEALED = new SealedSettings(
            new SecretSealer(MasterKeys.of(List.of(Base64.getDecoder().decode(MasterKeys.newKey())))));

    ProcessingChain chain(Jdbi jdbi, Clock clock, LongFunction<List<ActiveRule>> rules) {
        return chain(jdbi, clock, rules, 1, Duration.ofHours(4));
    }

    ProcessingChain chain(Jdbi jdbi, Clock clock, LongFunction<List<ActiveRule>> rules, int perSenderLimit,
                          Duration window) {
        return new ProcessingChain(jdbi, new MessageViews(jdbi, new MessageParser(1 << 20)),
                new LoopGuard(jdbi, perSenderLimit, window, clock), rules, this, new PlainDrain(jdbi, clock), SEALED, clock, lease);
    }

    TestChain action(RuleAction action) {
        actions.put(action.id(), action);
        return this;
    }

    TestChain sink(TicketSink sink) {
        sinks.put(sink.id(), sink);
        return this;
    }

    @Override
    public Optional<RuleAction> action(String id) {
        return Optional.ofNullable(actions.get(id));
    }

    @Override
    public Optional<TicketSink> sink(String id) {
        return Optional.ofNullable(sinks.get(id));
    }

    @Override
    public ExtensionContext context(Extension extension) {
        return context;
    }

    /** A context without services: what an action that needs none gets. */
    static class PlainContext implements ExtensionContext {
        @Override
        public String pluginId() {
            return "test";
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public HttpTransport http() {
            throw new UnsupportedOperationException("no HTTP in this test");
        }

        @Override
        public System.Logger logger(Class<?> type) {
            return System.getLogger(type.getName());
        }
    }
}
