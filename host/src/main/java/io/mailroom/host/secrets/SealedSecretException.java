package io.mailroom.host.secrets;

/** A sealed value that cannot be opened. The message never contains the secret. */
public class SealedSecretException extends RuntimeException {

    public SealedSecretException(String message) {
        super(message);
    }
}
