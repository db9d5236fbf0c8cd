package io.mailroom.host.messages;

/**
 * Puts a message through the processing chain again: what the message routes ask of the
 * pipeline, which implements it ({@code pipeline/Reprocessing}), so that this package needs
 * nothing above it.
 */
public interface Reprocess {

    /**
     * Parses and stores a quarantined message, and takes it out of quarantine.
     *
     * @return the stored message's id
     * @throws RuntimeException with the reason when it still fails; it stays quarantined
     */
    long retry(QuarantinedMessage quarantined);

    /**
     * Parses and classifies a stored message again, updating what parsing derives, and runs its
     * processing chain again: actions already done are not repeated unless {@code repeatActions}.
     */
    void reprocess(StoredMessage message, boolean repeatActions);
}
