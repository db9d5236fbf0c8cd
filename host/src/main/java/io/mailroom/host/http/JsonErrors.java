package io.mailroom.host.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.mailroom.host.errors.ApiException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Jackson's failures to read a request body, as API errors: an undeclared field is
 * {@code unknown_field}, a value of the wrong type {@code invalid_request}, text that is not
 * JSON {@code invalid_json}; each names the field by its JSON path ({@code settings.port},
 * {@code folders[1]}). The messages are written here, never taken from Jackson's databind
 * layer, whose texts name Java classes ({@code class io.mailroom.host.mailboxes.MailboxInput}).
 */
final class JsonErrors {

    /** Longest field name echoed back: the name comes from the caller. */
    private static final int MAX_NAME = 100;

    private JsonErrors() {
    }

    static ApiException of(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String path = path(unknown);
            return new ApiException(400, "unknown_field", "unknown field " + path + "; known fields are "
                    + known(unknown.getKnownPropertyIds()), Map.of("path", path));
        }
        if (e instanceof MismatchedInputException mismatch) {
            String path = path(mismatch);
            if (path.isEmpty()) {
                return mismatch.getMessage() != null && mismatch.getMessage().contains("end-of-input")
                        ? new ApiException(400, "invalid_json", "the body is empty; send a JSON object", Map.of())
                        : new ApiException(400, "invalid_json", "the body must be " + expected(mismatch.getTargetType()), Map.of());
            }
            return new ApiException(400, "invalid_request", path + " must be " + expected(mismatch.getTargetType()),
                    Map.of("path", path));
        }
        if (e instanceof JsonParseException parse) {
            String where = parse.getLocation() == null ? ""
                    : " (line " + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr() + ")";
            return new ApiException(400, "invalid_json", "the body is not valid JSON" + where + ": "
                    + Objects.requireNonNullElse(parse.getOriginalMessage(), "unreadable"), Map.of());
        }
        String path = e instanceof JsonMappingException mapping ? path(mapping) : "";
        return new ApiException(400, "invalid_request", path.isEmpty() ? "the body cannot be read for this request"
                : path + " has a value this request cannot take", path.isEmpty() ? Map.of() : Map.of("path", path));
    }

    /** {@code settings.port}, {@code folders[1]}: the names as the caller sent them, which are snake_case. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                String name = ref.getFieldName();
                path.append(name.length() > MAX_NAME ? name.substring(0, MAX_NAME) + "…" : name);
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "none";
        }
        List<String> names = ids.stream().map(String::valueOf).sorted().toList();
        return String.join(", ", names);
    }

    /** What a value of the Java type looks like in JSON, in words. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                    .map(constant -> constant.toString().toLowerCase(java.util.Locale.ROOT)).toList());
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class) {
            return "an ISO-8601 time";
        }
        return "a JSON object";
    }
}
