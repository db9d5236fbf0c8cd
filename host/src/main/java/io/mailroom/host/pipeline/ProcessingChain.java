package io.mailroom.host.pipeline;

import io.mailroom.api.Effect;
import io.mailroom.api.Outcome;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.MailboxSinkDao;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.messages.ProcessingStep;
import io.mailroom.host.messages.ProcessingStepDao;
import io.mailroom.host.messages.StoredMessage;
import io.mailroom.host.network.ShownError;
import io.mailroom.host.rules.ActiveAction;
import io.mailroom.host.rules.ActiveRule;
import io.mailroom.host.secrets.SealedSettings;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * The processing chain of one stored message, the same for a sync, a reprocess and a quarantine
 * retry: loop protection and rules (in the rules' order, {@code stop} ending them), the sink,
 * then the server post-actions. It runs after the batch committed, outside any transaction, on
 * a message taken from {@code processing_queue} under a lease ({@link ProcessingQueueDao#claim}).
 *
 * <p>Exactly once: each step is recorded ({@code processing_steps}) after it ran, in the
 * transaction that applies its tags; a step recorded for this message, rule, action index and
 * generation is not run again (a failed one only by an admin's reprocess) but its effects are
 * replayed, so a crash, a
 * second node or a reprocess never repeats an action. The window between an action's own work
 * and its record is covered by the idempotency key the action gets
 * ({@code rule:<rule>:<index>:message:<message>}, plus {@code :repeat:<generation>} when an admin
 * asked to repeat actions), which the outbox honours.
 *
 * <p>Failures: a {@link TemporaryException} stops the chain, which is taken again after a
 * back-off from the step that failed; after {@link #MAX_ATTEMPTS} it is recorded as failed. Any
 * other failure is recorded as failed (one sentence) and the chain goes on. Server changes
 * ({@link Effect.MarkSeen}, {@link Effect.Flag}, {@link Effect.MoveTo}) are collected and queued as
 * pending actions at the end, with the mailbox's own {@code mark_as_read} and
 * {@code move_processed_to} (those only when there is no sink, or the sink returned done), in
 * the transaction that takes the message off the queue; {@link PostActionRunner} carries them out.
 */
public final class ProcessingChain {

    static final int MAX_ATTEMPTS = 6;
    static final Duration FIRST_RETRY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(ProcessingChain.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Jdbi jdbi;
    private final MessageViews views;
    private final LoopGuard loopGuard;
    private final LongFunction<List<ActiveRule>> rules;
    private final ChainExtensions extensions;
    private final SealedSettings sealed;
    private final Clock clock;
    private final String owner = "chain-" + UUID.randomUUID();
    private final PlainDrain plainDrain;
    private final Duration lease;

    /**
     * {@code rules} gives a mailbox's active rules in order (the host's {@code RuleBook::rulesFor});
     * {@code lease}: how long a claimed message is held ({@code mailroom.processing.lease}).
     */
    public ProcessingChain(Jdbi jdbi, MessageViews views, LoopGuard loopGuard, LongFunction<List<ActiveRule>> rules,
                           ChainExtensions extensions, PlainDrain plainDrain, SealedSettings sealed, Clock clock,
                           Duration lease) {
        this.lease = lease;
        this.jdbi = jdbi;
        this.views = views;
        this.loopGuard = loopGuard;
        this.rules = rules;
        this.extensions = extensions;
        this.sealed = sealed;
        this.clock = clock;
        this.plainDrain = plainDrain;
    }

    /**
     * Takes the next due message (of {@code mailboxId}, or of any mailbox when null) and runs its
     * chain; false when none was due.
     */
    public boolean runNext(Long mailboxId) {
        return runClaimed(mailboxId, null);
    }

    /** After a failure: one minute, doubling with each attempt, at most about 17 hours. */
    private Instant nextAttempt(ProcessingQueueDao.Claimed claimed) {
        return clock.instant().plus(FIRST_RETRY.multipliedBy(1L << Math.min(claimed.attempts(), 10)));
    }

    /** Runs the chain of one queued message now, unless another worker holds it; false when it was not due. */
    public boolean runMessage(long messageId) {
        return runClaimed(null, messageId);
    }

    private boolean runClaimed(Long mailboxId, Long messageId) {
        Instant now = clock.instant();
        Optional<ProcessingQueueDao.Claimed> claimed = jdbi.onDemand(ProcessingQueueDao.class)
                .claim(mailboxId, messageId, owner, now, now.plus(lease));
        if (claimed.isEmpty()) {
            return false;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("mailbox", Long.toString(claimed.get().mailboxId()));
             MDC.MDCCloseable stage = MDC.putCloseable("stage", "process")) {
            run(claimed.get());
        } catch (Postponed e) {
            Instant next = nextAttempt(claimed.get());
            LOG.warn("Processing message {} stopped at a temporary failure (attempt {} of {}); again after {}: {}",
                    claimed.get().messageId(), claimed.get().attempts() + 1, MAX_ATTEMPTS, next, e.getMessage());
            jdbi.onDemand(ProcessingQueueDao.class).postpone(claimed.get().messageId(), owner, next, e.getMessage());
        } catch (RuntimeException e) {
            // a fault of the host itself (its stored bytes unreadable, the database gone): tried again, later each time
            LOG.warn("Processing message {} failed: {}", claimed.get().messageId(), ShownError.of(e), e);
            jdbi.onDemand(ProcessingQueueDao.class).postpone(claimed.get().messageId(), owner, nextAttempt(claimed.get()),
                    ShownError.of(e));
        }
        return true;
    }

    /**
     * Runs the chains of the mailbox's waiting messages on the calling thread until none is due,
     * waiting for those other workers hold, for at most {@code bound}: a sync calls it before its
     * server post-actions, so that they include what the chain decided for the mail it stored.
     */
    public void drain(long mailboxId, Duration bound) {
        Instant deadline = clock.instant().plus(bound);
        ProcessingQueueDao queue = jdbi.onDemand(ProcessingQueueDao.class);
        if (plain(mailboxId)) {
            plainDrain.drain(mailboxId, deadline);
        }
        while (clock.instant().isBefore(deadline)) {
            if (runNext(mailboxId)) {
                continue;
            }
            if (queue.waiting(mailboxId, clock.instant()) == 0) {
                return;
            }
            try {
                Thread.sleep(100); // held by another worker: it finishes soon, or its lease runs out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether the mailbox's chain is only its own post-actions: no rule, no sink. */
    private boolean plain(long mailboxId) {
        return rules.apply(mailboxId).isEmpty() && jdbi.onDemand(MailboxSinkDao.class).find(mailboxId)
                .map(MailboxSinkDao.MailboxSink::sink).isEmpty();
    }

    /** A temporary failure: the chain stops here and the message is taken again after a back-off. */
    private static final class Postponed extends RuntimeException {
        Postponed(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What the chain gathered so far for one message. */
    private final class Run {
        final ProcessingQueueDao.Claimed claimed;
        final Mailbox mailbox;
        final Map<String, ProcessingStep> recorded = new HashMap<>();
        final List<Effect> serverEffects = new ArrayList<>();
        StoredMessage stored;
        MessageViews.Seen seen;
        Set<String> tags;
        String assignedSink;

        Run(ProcessingQueueDao.Claimed claimed, Mailbox mailbox, StoredMessage stored) {
            this.claimed = claimed;
            this.mailbox = mailbox;
            this.stored = stored;
            this.tags = new LinkedHashSet<>(stored.tags());
            jdbi.onDemand(ProcessingStepDao.class).forGeneration(stored.id(), claimed.generation())
                    .forEach(step -> recorded.put(key(step.step(), step.ruleId(), step.actionIndex()), step));
        }

        /** The message parsed again, built only when a rule or a sink needs it. */
        MessageViews.Seen seen() {
            if (seen == null) {
                seen = views.see(stored);
            }
            if (!seen.view().tags().equals(tags)) {
                seen = seen.withTags(List.copyOf(tags));
            }
            return seen;
        }

        int generation() {
            return claimed.generation();
        }

        /** The step recorded for this run's generation that is final now: any, or any but a failed one on a reprocess. */
        Optional<ProcessingStep> settled(String step, long ruleId, int index) {
            return Optional.ofNullable(recorded.get(key(step, ruleId, index)))
                    .filter(s -> s.settled() || !claimed.retryFailed());
        }
    }

    private void run(ProcessingQueueDao.Claimed claimed) {
        Optional<StoredMessage> stored = views.stored(claimed.messageId());
        Optional<Mailbox> mailbox = jdbi.onDemand(MailboxDao.class).find(claimed.mailboxId());
        if (stored.isEmpty() || mailbox.isEmpty()) {
            jdbi.onDemand(ProcessingQueueDao.class).finish(claimed.messageId(), owner);
            return;
        }
        Run run = new Run(claimed, mailbox.get(), stored.get());
        runRules(run);
        boolean mailboxActions = runSink(run);
        finish(run, mailboxActions);
    }

    private void runRules(Run run) {
        for (ActiveRule rule : rules.apply(run.mailbox.id())) {
            if (rule.condition() == null) {
                recordOnce(run, "rule", rule.id(), -1, null, ProcessingStep.FAILED, null,
                        "the rule '" + rule.name() + "' cannot run: " + rule.problem(), List.of());
                continue;
            }
            if (run.settled("rule", rule.id(), -1).isEmpty()) {
                // a condition that did not hold is not recorded: it is tested again when the chain runs again
                if (!rule.condition().test(run.seen().facts())) {
                    continue;
                }
                recordOnce(run, "rule", rule.id(), -1, null, ProcessingStep.DONE, "matched rule '" + rule.name() + "'",
                        null, List.of());
            }
            for (ActiveAction action : rule.actions()) {
                runAction(run, rule, action);
            }
            if (rule.stop()) {
                return;
            }
        }
    }

    private void runAction(Run run, ActiveRule rule, ActiveAction action) {
        for (String step : List.of("action", "loop")) {
            Optional<ProcessingStep> done = run.settled(step, rule.id(), action.index());
            if (done.isPresent()) {
                apply(run, EffectsJson.read(done.get().effects()));
                return;
            }
        }
        Optional<RuleAction> found = extensions.action(action.type());
        if (found.isEmpty()) {
            record(run, "action", rule.id(), action.index(), action.type(), ProcessingStep.FAILED, null,
                    "no rule action '" + action.type() + "' is available: its plugin is not started", List.of());
            return;
        }
        RuleAction ruleAction = found.get();
        if (ruleAction.sendsMail()) {
            Optional<String> why = loopGuard.suppress(run.seen().view());
            if (why.isPresent()) {
                record(run, "loop", rule.id(), action.index(), action.type(), ProcessingStep.SUPPRESSED, why.get(),
                        null, List.of());
                return;
            }
        }
        String key = "rule:" + rule.id() + ":" + action.index() + ":message:" + run.stored.id()
                + (run.generation() > 0 ? ":repeat:" + run.generation() : "");
        Outcome outcome;
        try {
            outcome = ruleAction.run(new ActionCall(run.seen().view(), action.data(), rule.id(), action.index(), key),
                    extensions.context(ruleAction));
            if (outcome == null) {
                throw new IllegalStateException("the action returned no outcome");
            }
        } catch (TemporaryException e) {
            giveUpOrPostpone(run, "action", rule.id(), action.index(), action.type(), e);
            return;
        } catch (RuntimeException e) {
            record(run, "action", rule.id(), action.index(), action.type(), ProcessingStep.FAILED, null,
                    ShownError.of(e), List.of());
            return;
        }
        boolean counts = ruleAction.sendsMail() && outcome.status() == Outcome.Status.DONE;
        MessageViews.Seen seen = run.seen();
        record(run, "action", rule.id(), action.index(), action.type(), status(outcome), outcome.detail(), null,
                outcome.effects(), handle -> {
                    if (counts) {
                        loopGuard.count(handle, seen.view());
                    }
                });
    }

    /** Delivers to the sink; whether the mailbox's own post-actions apply (no sink, or the sink said done). */
    private boolean runSink(Run run) {
        String sinkId = run.assignedSink;
        MailboxSinkDao.MailboxSink configured = jdbi.onDemand(MailboxSinkDao.class).find(run.mailbox.id())
                .orElse(new MailboxSinkDao.MailboxSink(null, "{}"));
        if (sinkId == null) {
            sinkId = configured.sink();
        }
        if (sinkId == null) {
            return true;
        }
        Optional<ProcessingStep> done = run.settled("sink", 0, -1);
        if (done.isPresent()) {
            apply(run, EffectsJson.read(done.get().effects()));
            return done.get().status().equals(ProcessingStep.DONE);
        }
        Optional<TicketSink> sink = extensions.sink(sinkId);
        if (sink.isEmpty()) {
            record(run, "sink", 0, -1, sinkId, ProcessingStep.FAILED, null,
                    "the sink '" + sinkId + "' is not available: its plugin is not started", List.of());
            return false;
        }
        Outcome outcome;
        try {
            // an assigned sink other than the mailbox's own gets no settings: they are the mailbox's sink's
            Settings settings = sinkId.equals(configured.sink())
                    ? settings(run.mailbox.id(), configured.settings(), sink.get().mailboxSettings())
                    : Settings.of(Map.of());
            outcome = sink.get().deliver(run.seen().view(), settings, extensions.context(sink.get()));
            if (outcome == null) {
                throw new IllegalStateException("the sink returned no outcome");
            }
        } catch (TemporaryException e) {
            giveUpOrPostpone(run, "sink", 0, -1, sinkId, e);
            return false;
        } catch (RuntimeException e) {
            record(run, "sink", 0, -1, sinkId, ProcessingStep.FAILED, null, ShownError.of(e), List.of());
            return false;
        }
        record(run, "sink", 0, -1, sinkId, status(outcome), outcome.detail(), null, outcome.effects());
        return outcome.status() == Outcome.Status.DONE;
    }

    private Settings settings(long mailboxId, String stored, List<SettingDescriptor> descriptors) {
        Map<String, String> values;
        try {
            values = JSON.readValue(stored, new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the sink settings of mailbox " + mailboxId + " cannot be read", e);
        }
        Map<String, String> opened = sealed.open(values, descriptors, MailboxSinkDao.secretOwner(mailboxId));
        return Settings.of(opened, descriptors.stream().filter(SettingDescriptor::secret).map(SettingDescriptor::name)
                .collect(Collectors.toSet()));
    }

    /** Queues the server actions and takes the message off the queue, in one transaction. */
    private void finish(Run run, boolean mailboxActions) {
        StoredMessage message = run.stored;
        List<ServerAction> actions = ServerAction.decide(run.mailbox, message.folder(), message.flags(),
                run.serverEffects, mailboxActions);
        boolean postDone = run.settled("post_action", 0, -1).isPresent();
        boolean onServer = !message.deletedOnServer() && !message.serverKey().startsWith("outbound:");
        jdbi.useTransaction(handle -> {
            if (!postDone && onServer && !actions.isEmpty()) {
                PendingActionDao pending = handle.attach(PendingActionDao.class);
                for (ServerAction action : actions) {
                    pending.insert(message.mailboxId(), message.folder(), message.uidValidity(), message.serverKey(),
                            action.action(), action.target());
                }
                handle.attach(ProcessingStepDao.class).record(message.id(), "post_action", 0, -1, run.generation(),
                        null, ProcessingStep.DONE, ServerAction.describeQueued(actions), null, "[]");
            }
            handle.attach(ProcessingQueueDao.class).finish(message.id(), owner);
        });
    }

    private void giveUpOrPostpone(Run run, String step, long ruleId, int index, String action, TemporaryException e) {
        String reason = ShownError.of(e);
        if (run.claimed.attempts() + 1 < MAX_ATTEMPTS) {
            throw new Postponed(reason);
        }
        record(run, step, ruleId, index, action, ProcessingStep.FAILED, null,
                "gave up after " + MAX_ATTEMPTS + " attempts: " + reason, List.of());
    }

    private void recordOnce(Run run, String step, long ruleId, int index, String action, String status, String detail,
                            String error, List<Effect> effects) {
        if (run.settled(step, ruleId, index).isEmpty()) {
            record(run, step, ruleId, index, action, status, detail, error, effects);
        }
    }

    private void record(Run run, String step, long ruleId, int index, String action, String status, String detail,
                        String error, List<Effect> effects) {
        record(run, step, ruleId, index, action, status, detail, error, effects, handle -> {
        });
    }

    /** Records a step with the tags it asks for, and {@code also} in the same transaction; then applies its effects. */
    private void record(Run run, String step, long ruleId, int index, String action, String status, String detail,
                        String error, List<Effect> effects, java.util.function.Consumer<Handle> also) {
        Set<String> tags = new LinkedHashSet<>(run.tags);
        for (Effect effect : effects) {
            switch (effect) {
                case Effect.Tag tag -> tags.add(tag.tag());
                case Effect.Untag untag -> tags.remove(untag.tag());
                default -> {
                }
            }
        }
        boolean retag = !tags.equals(run.tags);
        jdbi.useTransaction(handle -> {
            handle.attach(ProcessingStepDao.class).record(run.stored.id(), step, ruleId, index, run.generation(), action,
                    status, detail == null || detail.isBlank() ? null : ShownError.text(detail),
                    error == null ? null : ShownError.text(error), EffectsJson.write(effects));
            if (retag) {
                handle.attach(MessageDao.class).setTags(run.stored.id(), tags.toArray(String[]::new));
            }
            also.accept(handle);
        });
        apply(run, effects);
    }

    /** Applies a step's effects to what the chain carries on with (tags, sink, server changes). */
    private static void apply(Run run, List<Effect> effects) {
        for (Effect effect : effects) {
            switch (effect) {
                case Effect.Tag tag -> run.tags.add(tag.tag());
                case Effect.Untag untag -> run.tags.remove(untag.tag());
                case Effect.AssignSink assign -> run.assignedSink = assign.sinkId();
                case Effect.MarkSeen m -> run.serverEffects.add(m);
                case Effect.Flag f -> run.serverEffects.add(f);
                case Effect.MoveTo move -> run.serverEffects.add(move);
            }
        }
    }

    private static String status(Outcome outcome) {
        return outcome.status() == Outcome.Status.DONE ? ProcessingStep.DONE : ProcessingStep.SKIPPED;
    }

    private static String key(String step, long ruleId, int index) {
        return step + "|" + ruleId + "|" + index;
    }
}
