package io.mailroom.host.filters;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * Coverage-guided fuzzing of the filter DSL with Jazzer (libFuzzer in the JVM): JSON texts,
 * mutated from the seed filters in {@code FilterDslCoverageFuzzTestInputs/} and the dictionary of
 * the DSL's words towards code of the compiler and the operators not run yet. Text that is not
 * JSON is the API's to refuse, not the compiler's; every tree must hold {@link FilterProperty}.
 *
 * <p>In a plain test run this replays the seeds (and any finding saved beside them). The build
 * fuzzes it for {@link #FUZZ_TIME} in an execution of its own with {@code JAZZER_FUZZ=1} (host's
 * pom, profile {@code coverage-fuzz}); see docs/RELIABILITY.md.
 */
class FilterDslCoverageFuzzTest {

    static final String FUZZ_TIME = "30s";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FilterCompiler compiler = new FilterCompiler(new FilterOperators(null));

    @FuzzTest(maxDuration = FUZZ_TIME)
    @DictionaryEntries({"\"all\"", "\"any\"", "\"not\"", "\"field\"", "\"op\"", "\"value\"",
            "\"equals\"", "\"contains\"", "\"starts_with\"", "\"ends_with\"", "\"matches\"", "\"in\"",
            "\"domain_in\"", "\"exists\"", "\"gt\"", "\"lt\"", "\"before\"", "\"after\"",
            "\"from\"", "\"from_name\"", "\"from_domain\"", "\"to\"", "\"cc\"", "\"recipients\"", "\"subject\"",
            "\"body\"", "\"has_attachment\"", "\"attachment_name\"", "\"attachment_type\"", "\"size\"", "\"date\"",
            "\"folder\"", "\"classification\"", "\"direction\"", "\"tags\"", "\"sender_is_contact\"",
            "\"sender_company\"", "\"header:", "\"2026-11-30T10:00:00Z\"", "\"(?i)", "{2,", "\\u"})
    void any_json_compiles_or_is_refused_with_its_path_and_a_compiled_filter_evaluates(byte[] text) {
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (IOException notJson) {
            return;
        }
        FilterProperty.compilesOrNamesThePath(compiler, tree).ifPresent(FilterProperty::evaluatesOnHostileMail);
    }
}
