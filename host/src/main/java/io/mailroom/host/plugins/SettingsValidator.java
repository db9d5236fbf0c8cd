package io.mailroom.host.plugins;

import io.mailroom.api.Extension;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an admin's settings for an extension against the settings it declares, before they
 * are saved, so a bad value fails at configure time with the setting's name and not during a
 * sync. Values arrive as parsed JSON ({@code String}, {@code Number}, {@code Boolean}, …) and
 * leave as the strings {@link io.mailroom.api.Settings} holds, defaults filled in.
 *
 * <p>Rules: a setting the extension does not declare is refused; a required one needs a value
 * or a default ({@code null} counts as no value, and so does a blank string, except for an
 * optional {@code STRING}, where it is the empty text); an {@code INTEGER} is a whole number within its
 * declared {@code min} and {@code max} (a JSON number, or a string of digits from a form); a {@code BOOLEAN} is {@code true} or {@code false}; a {@code CHOICE}
 * is one of its choices; a {@code STRING} is a string; a {@code LIST} is an array of at most
 * {@value #MAX_LIST_ITEMS} non-blank strings without line breaks. Secret settings are checked like the
 * others; sealing them is the caller's work.
 */
public final class SettingsValidator {

    static final int MAX_LIST_ITEMS = 100;

    private final Map<String, SettingDescriptor> declared = new LinkedHashMap<>();

    public SettingsValidator(List<SettingDescriptor> settings) {
        for (SettingDescriptor setting : settings) {
            if (declared.put(setting.name(), setting) != null) {
                throw new IllegalArgumentException("setting " + setting.name() + " is declared twice");
            }
        }
    }

    /** A validator for the settings {@code extension} declares. */
    public static SettingsValidator of(Extension extension) {
        return new SettingsValidator(ExtensionPoints.declaredSettings(extension));
    }

    /**
     * The validated settings in declaration order, defaults applied; a setting with neither value
     * nor default is left out.
     *
     * @param prefix paths in problems start with it ({@code settings} gives {@code settings.port});
     *               {@code null} or empty for bare names
     * @param values the admin's settings; {@code null} for none
     * @throws SettingsException listing every problem found
     */
    public Map<String, String> validate(String prefix, Map<String, ?> values) {
        Map<String, ?> given = values == null ? Map.of() : values;
        List<SettingsException.Problem> problems = new ArrayList<>();
        for (String name : given.keySet()) {
            if (!declared.containsKey(name)) {
                problems.add(SettingsException.Problem.unknown(path(prefix, name),
                        "unknown setting; known settings are " + String.join(", ", declared.keySet())));
            }
        }
        Map<String, String> valid = new LinkedHashMap<>();
        for (SettingDescriptor setting : declared.values()) {
            Object value = given.get(setting.name());
            if (value instanceof String blank && blank.isBlank()
                    && (setting.required() || setting.type() != SettingType.STRING)) {
                value = null;
            }
            if (value == null) {
                if (setting.defaultValue() != null) {
                    valid.put(setting.name(), setting.defaultValue());
                } else if (setting.required()) {
                    problems.add(new SettingsException.Problem(path(prefix, setting.name()), "is required"));
                }
                continue;
            }
            String problem = null;
            String text = null;
            switch (setting.type()) {
                case STRING -> {
                    if (value instanceof String string) {
                        text = string;
                    } else {
                        problem = "must be a string";
                    }
                }
                case INTEGER -> {
                    text = wholeNumber(value);
                    if (text == null || !within(text, setting)) {
                        problem = setting.bounded()
                                ? "must be a whole number from " + setting.min() + " to " + setting.max()
                                : "must be a whole number";
                    }
                }
                case BOOLEAN -> {
                    if (value instanceof Boolean bool) {
                        text = bool.toString();
                    } else if ("true".equals(value) || "false".equals(value)) {
                        text = (String) value;
                    } else {
                        problem = "must be true or false";
                    }
                }
                case CHOICE -> {
                    if (value instanceof String choice && setting.choices().contains(choice)) {
                        text = choice;
                    } else {
                        problem = "must be one of " + String.join(", ", setting.choices());
                    }
                }
                case LIST -> {
                    text = list(value);
                    if (text == null) {
                        problem = "must be a list of at most " + MAX_LIST_ITEMS
                                + " strings, none empty or with a line break";
                    }
                }
            }
            if (problem != null) {
                problems.add(new SettingsException.Problem(path(prefix, setting.name()), problem));
            } else {
                valid.put(setting.name(), text);
            }
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return valid;
    }

    /** The items joined by line breaks, or {@code null} when the value is not a list of plain strings. */
    private static String list(Object value) {
        if (!(value instanceof List<?> items) || items.size() > MAX_LIST_ITEMS) {
            return null;
        }
        StringBuilder joined = new StringBuilder();
        for (Object item : items) {
            if (!(item instanceof String string) || string.isBlank() || string.indexOf('\n') >= 0
                    || string.indexOf('\r') >= 0) {
                return null;
            }
            joined.append(joined.isEmpty() ? "" : "\n").append(string);
        }
        return joined.toString();
    }

    /** The value as a decimal {@code long}, or {@code null} when it is not one. */
    private static String wholeNumber(Object value) {
        try {
            BigDecimal number = switch (value) {
                case Long l -> BigDecimal.valueOf(l);
                case Integer i -> BigDecimal.valueOf(i);
                case Short s -> BigDecimal.valueOf(s);
                case Byte b -> BigDecimal.valueOf(b);
                case BigInteger big -> new BigDecimal(big);
                case BigDecimal big -> big;
                case Double d when Double.isFinite(d) -> new BigDecimal(d);
                case Float f when Float.isFinite(f) -> new BigDecimal(f);
                case String s when s.matches("[+-]?[0-9]+") -> new BigDecimal(s);
                default -> null;
            };
            return number == null ? null : Long.toString(number.longValueExact());
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static boolean within(String number, SettingDescriptor setting) {
        long value = Long.parseLong(number);
        return value >= setting.min() && value <= setting.max();
    }

    private static String path(String prefix, String name) {
        return prefix == null || prefix.isEmpty() ? name : prefix + "." + name;
    }
}
