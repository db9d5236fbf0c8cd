package io.mailroom.api;

/**
 * The root of every exception an extension throws on purpose. The pipeline decides what happens
 * next by the subclass: {@link AuthenticationFailedException} stops the mailbox and tells its
 * owner, {@link TemporaryException} retries later with back-off, {@link PermanentException}
 * quarantines the message or fails the action without retry. Any other exception thrown by an
 * extension is treated as temporary.
 *
 * <p>Messages are shown to administrators: never put a password or token in one.
 */
public class MailroomException extends RuntimeException {

    public MailroomException(String message) {
        super(message);
    }

    public MailroomException(String message, Throwable cause) {
        super(message, cause);
    }
}
