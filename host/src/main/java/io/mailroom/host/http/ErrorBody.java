package io.mailroom.host.http;

import java.util.Map;

/** The JSON body of every error answer. */
public record ErrorBody(String error, String message, Map<String, Object> details) {
}
