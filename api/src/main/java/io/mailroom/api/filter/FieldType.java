package io.mailroom.api.filter;

/**
 * The type of a filter field, and so of the values an operator's predicate is given. A field has
 * zero or more values (every {@code to} address, every attachment name), each of this Java type:
 * <ul>
 *   <li>{@link #TEXT}: {@code String} as decoded (subject, body, a header, a name)</li>
 *   <li>{@link #ADDRESS}: {@code String}, an email address in lower case ({@code ann@acme.com})</li>
 *   <li>{@link #NUMBER}: {@code Long} (size in bytes)</li>
 *   <li>{@link #DATE}: {@code java.time.Instant}</li>
 *   <li>{@link #BOOLEAN}: {@code Boolean}, always exactly one value</li>
 *   <li>{@link #LIST}: {@code String}, one value per element (tags)</li>
 * </ul>
 */
public enum FieldType {
    TEXT, ADDRESS, NUMBER, DATE, BOOLEAN, LIST;

    /** The name used in documents and errors: {@code text}, {@code address}… */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
