package io.mailroom.host.outbound;

/**
 * An attempt that did not end with the server taking the message. {@code permanent}: the server
 * refused it for good (a 5xx reply) or it can never be sent as configured; otherwise it is worth
 * another attempt later (a 4xx reply, a refused, dropped or timed-out connection).
 */
final class DeliveryFailure extends Exception {

    private static final long serialVersionUID = 1L;
    private final boolean permanent;

    DeliveryFailure(String reply, boolean permanent, Throwable cause) {
        super(reply, cause);
        this.permanent = permanent;
    }

    boolean permanent() {
        return permanent;
    }
}
