package io.mailroom.api;

/** A failure that may pass: network errors, timeouts, a server that is busy. Retried with back-off. */
public class TemporaryException extends MailroomException {

    public TemporaryException(String message) {
        super(message);
    }

    public TemporaryException(String message, Throwable cause) {
        super(message, cause);
    }
}
