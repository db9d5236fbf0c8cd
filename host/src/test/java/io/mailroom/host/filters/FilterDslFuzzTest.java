package io.mailroom.host.filters;

import io.mailroom.host.fuzz.Fuzzing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of the filter DSL ({@link FilterCompiler}) with JSON trees from
 * {@link FilterTrees}: each holds {@link FilterProperty}. Tries and time are bounded for CI; see
 * docs/RELIABILITY.md for a longer run. {@link FilterDslCoverageFuzzTest} holds the same properties against JSON texts that Jazzer's
 * coverage guidance finds.
 */
class FilterDslFuzzTest {

    private static final Duration PER_TRY = Duration.ofSeconds(10);
    private final FilterCompiler compiler = new FilterCompiler(new FilterOperators(null));

    @BeforeAll
    static void parseTheHostileMail() {
        FilterProperty.hostileMail();
    }

    @Test
    void any_tree_compiles_or_is_refused_with_the_path_of_its_fault() {
        Fuzzing.Run run = Fuzzing.forAll("filter compile", 10_000, PER_TRY, FilterTrees::any,
                tree -> FilterProperty.compilesOrNamesThePath(compiler, tree));
        assertThat(run.tries()).isPositive();
    }

    @Test
    void a_compiled_filter_evaluates_on_hostile_messages_without_an_exception() {
        int[] compiled = new int[1];
        Fuzzing.Run run = Fuzzing.forAll("filter evaluate", 10_000, PER_TRY, FilterTrees::likelyValid,
                tree -> FilterProperty.compilesOrNamesThePath(compiler, tree).ifPresent(filter -> {
                    compiled[0]++;
                    FilterProperty.evaluatesOnHostileMail(filter);
                }));
        assertThat(compiled[0]).as("some of the trees compiled (of %s)", run.tries()).isPositive();
    }
}
