package io.mailroom.host.plugins;

import org.pf4j.PluginRuntimeException;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Turns an exception chain into the one line an admin reads in a plugin report. */
final class FailureReason {

    private FailureReason() {
    }

    static String of(Throwable failure) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 8; t = t.getCause(), depth++) {
            Throwable cause = t.getCause();
            boolean mereWrapper = t instanceof InvocationTargetException
                    || (cause != null && Objects.equals(t.getMessage(), cause.toString()));
            String part = t instanceof PluginRuntimeException
                    ? t.getMessage()
                    : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
            if (!mereWrapper && part != null) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            return failure.getClass().getSimpleName();
        }
        return String.join(": ", parts).replaceAll("\\s+", " ").strip();
    }
}
