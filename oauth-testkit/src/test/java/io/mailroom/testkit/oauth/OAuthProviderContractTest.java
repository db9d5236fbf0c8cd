package io.mailroom.testkit.oauth;

import io.mailroom.api.Settings;
import io.mailroom.api.oauth.OAuthClient;
import io.mailroom.api.oauth.OAuthProtocol;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.oauth.TokenSet;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The kit on a good provider (this class: it passes, the account's address read from userinfo)
 * and on broken ones (run through the JUnit launcher: the test that names each fault fails).
 */
class OAuthProviderContractTest extends OAuthProviderContract {

    @Override
    public OAuthProvider extension() {
        return new SampleProvider();
    }

    @Test
    void a_provider_that_drops_a_rotated_refresh_token_fails_the_rotation_test() {
        assertThat(failures(DropsRotatedToken.class))
                .containsExactly("a_refresh_gives_a_new_access_token_and_the_rotated_refresh_token_is_kept()");
    }

    @Test
    void a_well_behaved_provider_passes_every_test_of_the_kit() {
        assertThat(failures(WellBehaved.class)).isEmpty();
    }

    @Test
    void a_provider_that_hides_refusals_and_outages_fails_the_error_mapping_tests() {
        assertThat(failures(HidesErrors.class)).contains("a_refused_grant_or_client_fails_authentication()",
                "a_5xx_answer_or_an_unreachable_server_is_temporary()");
    }

    @Test
    void a_provider_that_replaces_the_scope_parameter_fails_the_authorization_tests() {
        assertThat(failures(ReplacesScope.class)).contains("its_own_authorization_parameters_leave_the_standard_ones_alone()");
    }

    private static Set<String> failures(Class<?> contract) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(contract)).build(),
                listener);
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsFoundCount()).as("tests run").isGreaterThan(5);
        // the broken providers below are anonymous classes that no service file lists
        return summary.getFailures().stream().map(failure -> failure.getTestIdentifier().getDisplayName())
                .filter(name -> !name.equals("it_is_registered_for_service_loader_discovery()"))
                .collect(Collectors.toSet());
    }

    /** The sample provider as it is, through the same launcher: what the broken ones are measured against. */
    static class WellBehaved extends OAuthProviderContract {
        @Override
        public OAuthProvider extension() {
            return new SampleProvider() {
            };
        }
    }

    /** Its refresh keeps the old refresh token, which a rotating server has just invalidated. */
    static class DropsRotatedToken extends OAuthProviderContract {
        @Override
        public OAuthProvider extension() {
            return new SampleProvider() {
                @Override
                public TokenSet refresh(OAuthClient client, String refreshToken, OAuthProtocol standard) {
                    TokenSet fresh = standard.refresh(client, refreshToken);
                    return new TokenSet(fresh.accessToken(), refreshToken, fresh.expiresAt(), fresh.scope(), fresh.idToken());
                }
            };
        }
    }

    /** Its calls turn every failure into a plain runtime exception. */
    static class HidesErrors extends OAuthProviderContract {
        @Override
        public OAuthProvider extension() {
            return new SampleProvider() {
                @Override
                public TokenSet exchangeCode(OAuthClient client, String code, String verifier, OAuthProtocol standard) {
                    try {
                        return standard.exchangeCode(client, code, verifier);
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("failed");
                    }
                }

                @Override
                public TokenSet refresh(OAuthClient client, String refreshToken, OAuthProtocol standard) {
                    try {
                        return standard.refresh(client, refreshToken);
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("failed");
                    }
                }
            };
        }
    }

    /** Its extra parameters try to replace the scopes the host asks for. */
    static class ReplacesScope extends OAuthProviderContract {
        @Override
        public OAuthProvider extension() {
            return new SampleProvider() {
                @Override
                public Map<String, String> authorizationParameters(Settings installation) {
                    return Map.of("scope", "everything");
                }
            };
        }
    }
}
