package io.mailroom.host.plugins;

import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.SettingType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SettingsValidatorTest {

    private final SettingsValidator imap = new SettingsValidator(List.of(
            SettingDescriptor.required("host", SettingType.STRING, "The IMAP server."),
            SettingDescriptor.optional("port", SettingType.INTEGER, "993", "The port."),
            SettingDescriptor.choice("security", "ssl", List.of("ssl", "starttls", "none"), "Transport security."),
            SettingDescriptor.optional("idle", SettingType.BOOLEAN, "false", "Use IMAP IDLE."),
            SettingDescriptor.optional("folder_prefix", SettingType.STRING, null, "Prefix of folder names."),
            SettingDescriptor.required("password", SettingType.STRING, "The password.").asSecret()));

    private List<SettingsException.Problem> problems(String prefix, Map<String, ?> settings) {
        return catchThrowableOfType(SettingsException.class, () -> imap.validate(prefix, settings)).problems();
    }

    private static Map<String, Object> with(Object... keysAndValues) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", "imap.example.com");
        settings.put("password", "s3cret");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return settings;
    }

    @Test
    void valid_settings_come_back_as_strings_with_defaults_applied_in_declared_order() {
        Map<String, String> valid = imap.validate("settings", with("idle", true));

        assertThat(valid).containsExactly(
                Map.entry("host", "imap.example.com"), Map.entry("port", "993"), Map.entry("security", "ssl"),
                Map.entry("idle", "true"), Map.entry("password", "s3cret"));
    }

    @Test
    void a_secret_setting_is_accepted_like_the_others() {
        assertThat(imap.validate("settings", with())).containsEntry("password", "s3cret");
    }

    @Test
    void an_unknown_setting_is_refused_with_its_path() {
        assertThat(problems("settings", with("prot", 993))).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("settings.prot");
            assertThat(problem.message()).startsWith("unknown setting").contains("port");
        });
    }

    @Test
    void a_missing_required_setting_is_refused_and_null_or_blank_counts_as_missing() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("host", "  ");
        settings.put("password", null);

        assertThat(problems("settings", settings)).containsExactly(
                new SettingsException.Problem("settings.host", "is required"),
                new SettingsException.Problem("settings.password", "is required"));
        assertThat(problems("settings", null)).extracting(SettingsException.Problem::path)
                .containsExactly("settings.host", "settings.password");
    }

    @Test
    void an_integer_is_a_whole_number_within_long() {
        for (Object port : List.of(143, 143L, "143", 143.0, new BigDecimal("143.00"), BigInteger.valueOf(143))) {
            assertThat(imap.validate("settings", with("port", port))).containsEntry("port", "143");
        }
        assertThat(imap.validate("s", with("port", Long.MIN_VALUE))).containsEntry("port", "-9223372036854775808");
        for (Object port : List.of(1.5, "143a", 1e30, BigInteger.TWO.pow(63), Double.NaN, true, List.of(1))) {
            assertThat(problems("settings", with("port", port))).singleElement().satisfies(problem -> {
                assertThat(problem.path()).isEqualTo("settings.port");
                assertThat(problem.message()).startsWith("must be a whole number");
            });
        }
    }

    @Test
    void an_integer_is_checked_against_its_declared_range_and_the_message_says_which() {
        SettingsValidator ranged = new SettingsValidator(List.of(
                SettingDescriptor.integer("port", 993, 1, 65535, "The port."),
                SettingDescriptor.optional("count", SettingType.INTEGER, null, "Unbounded.")));

        assertThat(ranged.validate("settings", Map.of("port", 65535))).containsEntry("port", "65535");
        assertThat(ranged.validate("settings", Map.of("port", "1"))).containsEntry("port", "1");
        for (Object port : List.of(99999, 0, -1, "abc", "65536", 1.5)) {
            assertThat(catchThrowableOfType(SettingsException.class,
                    () -> ranged.validate("settings", Map.of("port", port))).problems())
                    .containsExactly(new SettingsException.Problem("settings.port", "must be a whole number from 1 to 65535"));
        }
        assertThat(catchThrowableOfType(SettingsException.class,
                () -> ranged.validate("settings", Map.of("count", "abc"))).problems())
                .containsExactly(new SettingsException.Problem("settings.count", "must be a whole number"));
    }

    @Test
    void an_unknown_setting_is_an_unknown_field_and_a_bad_value_an_invalid_request() {
        assertThat(problems("settings", with("hots", "x"))).singleElement()
                .satisfies(problem -> assertThat(problem.code()).isEqualTo("unknown_field"));
        assertThat(problems("settings", with("port", "x"))).singleElement()
                .satisfies(problem -> assertThat(problem.code()).isEqualTo("invalid_request"));
    }

    @Test
    void a_descriptor_refuses_a_range_it_cannot_keep() {
        assertThatThrownBy(() -> SettingDescriptor.integer("port", 0, 1, 65535, "default outside"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettingDescriptor.integer("port", 5, 10, 1, "min above max"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SettingDescriptor.required("host", SettingType.STRING, "h").withRange(1, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_boolean_is_true_or_false() {
        assertThat(imap.validate("settings", with("idle", "true"))).containsEntry("idle", "true");
        assertThat(imap.validate("settings", with("idle", false))).containsEntry("idle", "false");
        for (Object idle : List.of("yes", "TRUE", 1)) {
            assertThat(problems("settings", with("idle", idle)))
                    .containsExactly(new SettingsException.Problem("settings.idle", "must be true or false"));
        }
    }

    @Test
    void a_blank_value_of_an_optional_setting_takes_the_default_unless_it_is_a_string() {
        Map<String, String> valid = imap.validate("settings", with("port", "", "idle", " ", "folder_prefix", ""));

        assertThat(valid).containsEntry("port", "993").containsEntry("idle", "false").containsEntry("folder_prefix", "");
    }

    @Test
    void a_choice_is_one_of_its_choices() {
        assertThat(imap.validate("settings", with("security", "starttls"))).containsEntry("security", "starttls");
        assertThat(problems("settings", with("security", "tls"))).containsExactly(
                new SettingsException.Problem("settings.security", "must be one of ssl, starttls, none"));
    }

    @Test
    void a_string_is_a_string() {
        assertThat(problems("settings", with("host", 42)))
                .containsExactly(new SettingsException.Problem("settings.host", "must be a string"));
        assertThat(imap.validate("settings", with("folder_prefix", ""))).containsEntry("folder_prefix", "");
    }

    @Test
    void every_problem_is_reported_at_once_under_the_given_prefix() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("colour", "blue");
        settings.put("port", "http");

        SettingsException e = catchThrowableOfType(SettingsException.class,
                () -> imap.validate("source_settings", settings));

        assertThat(e.problems()).extracting(SettingsException.Problem::path).containsExactly(
                "source_settings.colour", "source_settings.host", "source_settings.port",
                "source_settings.password");
        assertThat(e.getMessage()).contains("source_settings.port: must be a whole number");
        assertThat(problems(null, Map.of("colour", "blue"))).extracting(SettingsException.Problem::path)
                .contains("colour", "host");
    }

    @Test
    void an_extension_declaring_a_setting_twice_cannot_be_validated_against() {
        assertThatThrownBy(() -> new SettingsValidator(List.of(
                SettingDescriptor.required("host", SettingType.STRING, ""),
                SettingDescriptor.required("host", SettingType.STRING, ""))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_list_is_at_most_100_non_blank_strings_without_line_breaks_stored_joined_by_newlines() {
        SettingsValidator forward = new SettingsValidator(List.of(
                SettingDescriptor.required("to", SettingType.LIST, "Where to forward."),
                SettingDescriptor.optional("cc", SettingType.LIST, null, "Copies.")));

        Map<String, String> valid = forward.validate("data", Map.of("to", List.of("a@x.example", "b@x.example")));
        assertThat(valid).containsExactly(Map.entry("to", "a@x.example\nb@x.example"));
        assertThat(io.mailroom.api.Settings.of(valid).getList("to")).containsExactly("a@x.example", "b@x.example");
        assertThat(io.mailroom.api.Settings.of(valid).getList("cc")).isEmpty();
        assertThat(forward.validate("data", Map.of("to", java.util.Collections.nCopies(100, "a@x.example"))).get("to")
                .split("\n")).hasSize(100);
        assertThat(forward.validate("data", Map.of("to", List.of("a@x.example"), "cc", List.of()))).containsEntry("cc", "");

        List<Object> refused = List.of("a@x.example", List.of("a@x.example", ""), List.of("a@x.example", " "),
                List.of("a\nb@x.example"), List.of("a\rb@x.example"), List.of(5), java.util.Collections.nCopies(101, "a@x.example"),
                Map.of("0", "a@x.example"));
        for (Object value : refused) {
            SettingsException e = catchThrowableOfType(SettingsException.class,
                    () -> forward.validate("data", Map.of("to", value)));
            assertThat(e).as("%s", value).isNotNull();
            assertThat(e.problems()).singleElement().satisfies(problem -> {
                assertThat(problem.path()).isEqualTo("data.to");
                assertThat(problem.message()).contains("list of at most 100 strings");
            });
        }
        assertThat(problemsOf(forward, Map.of())).singleElement().satisfies(problem ->
                assertThat(problem.message()).isEqualTo("is required"));
    }

    private static List<SettingsException.Problem> problemsOf(SettingsValidator validator, Map<String, ?> settings) {
        return catchThrowableOfType(SettingsException.class, () -> validator.validate("data", settings)).problems();
    }
}
