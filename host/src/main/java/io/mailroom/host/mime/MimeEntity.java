package io.mailroom.host.mime;

import jakarta.mail.MessagingException;

import java.io.IOException;
import java.io.InputStream;

/**
 * One MIME entity, the message itself or a body part: its header section and a way to open its
 * body as it is on the wire (still transfer-encoded). Opening is cheap: over a shared stream it
 * reads from the spooled message without copying it.
 */
record MimeEntity(RawHeaders headers, BodySource body) {

    @FunctionalInterface
    interface BodySource {
        InputStream open() throws IOException, MessagingException;
    }
}
