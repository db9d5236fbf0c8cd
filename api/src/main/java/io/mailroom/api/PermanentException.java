package io.mailroom.api;

/** A failure that will repeat on every try (malformed input, a rejected request): never retried by itself. */
public class PermanentException extends MailroomException {

    public PermanentException(String message) {
        super(message);
    }

    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }
}
