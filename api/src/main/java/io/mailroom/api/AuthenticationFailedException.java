package io.mailroom.api;

/** The server refused the credentials: retrying will not help until an admin acts. */
public class AuthenticationFailedException extends MailroomException {

    public AuthenticationFailedException(String message) {
        super(message);
    }

    public AuthenticationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
