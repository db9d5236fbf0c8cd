package io.mailroom.host.outbound;

/**
 * Appends the mailbox's signature below the body: in text after the conventional {@code "-- "}
 * line (RFC 3676 4.3, so mail clients can strip it when quoting), in html in its own block. Only
 * a body that is there gets one.
 */
final class Signature {

    private Signature() {
    }

    static String text(String body, String signature) {
        if (body == null || signature == null || signature.isBlank()) {
            return body;
        }
        return body + "\n\n-- \n" + signature;
    }

    static String html(String body, String signature) {
        if (body == null || signature == null || signature.isBlank()) {
            return body;
        }
        return body + "\n<div class=\"signature\">-- <br>" + signature + "</div>";
    }
}
