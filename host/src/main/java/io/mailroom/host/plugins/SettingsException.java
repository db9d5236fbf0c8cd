package io.mailroom.host.plugins;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** Settings an extension does not accept; every problem names its setting by path. */
public class SettingsException extends RuntimeException {

    /**
     * One thing wrong with one setting.
     *
     * @param path    where it is, e.g. {@code settings.port}
     * @param message what is wrong, for the admin, e.g. {@code must be a whole number}
     * @param code    the API's error code for it: {@code unknown_field} for a setting that is not
     *                declared, {@code invalid_request} otherwise
     */
    public record Problem(String path, String message, String code) {
        public Problem {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(code, "code");
        }

        public Problem(String path, String message) {
            this(path, message, "invalid_request");
        }

        /** A setting the extension does not declare. */
        public static Problem unknown(String path, String message) {
            return new Problem(path, message, "unknown_field");
        }
    }

    private final List<Problem> problems;

    public SettingsException(List<Problem> problems) {
        super(problems.stream().map(problem -> problem.path() + ": " + problem.message())
                .collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a settings exception needs a problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems, unknown settings first, then the declared settings in their order. */
    public List<Problem> problems() {
        return problems;
    }
}
