package io.mailroom.host.filters;

import io.mailroom.api.filter.FieldType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The fields a filter can test, each with its type; {@code header:<Name>} is text. */
public final class FilterField {

    /** In the order docs/filters.md lists them. */
    public static final Map<String, FieldType> FIELDS = fields();

    /** A header field name (RFC 5322 ftext), bounded. */
    private static final Pattern HEADER = Pattern.compile("header:[!-9;-~]{1,76}");

    private FilterField() {
    }

    /** The type of a field, or empty when there is no such field. */
    public static Optional<FieldType> typeOf(String field) {
        if (field.startsWith("header:")) {
            return HEADER.matcher(field).matches() ? Optional.of(FieldType.TEXT) : Optional.empty();
        }
        return Optional.ofNullable(FIELDS.get(field));
    }

    private static Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("from", FieldType.ADDRESS);
        fields.put("from_name", FieldType.TEXT);
        fields.put("from_domain", FieldType.TEXT);
        fields.put("to", FieldType.ADDRESS);
        fields.put("cc", FieldType.ADDRESS);
        fields.put("recipients", FieldType.ADDRESS);
        fields.put("subject", FieldType.TEXT);
        fields.put("body", FieldType.TEXT);
        fields.put("has_attachment", FieldType.BOOLEAN);
        fields.put("attachment_name", FieldType.TEXT);
        fields.put("attachment_type", FieldType.TEXT);
        fields.put("size", FieldType.NUMBER);
        fields.put("date", FieldType.DATE);
        fields.put("folder", FieldType.TEXT);
        fields.put("classification", FieldType.TEXT);
        fields.put("direction", FieldType.TEXT);
        fields.put("tags", FieldType.LIST);
        fields.put("sender_is_contact", FieldType.BOOLEAN);
        fields.put("sender_company", FieldType.TEXT);
        return java.util.Collections.unmodifiableMap(fields);
    }
}
