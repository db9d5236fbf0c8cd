package io.mailroom.host.plugins;

import io.mailroom.api.route.PluginRoute;
import io.mailroom.api.route.PluginRoute.Access;
import io.mailroom.api.route.RouteResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginRouteTableTest {

    private final PluginRouteTable table = new PluginRouteTable(Set.of("GET /api/mailboxes/{id}", "POST /api/send"));

    private static PluginRoute route(String method, String path) {
        return new PluginRoute(method, path, Access.USER, path, (request, context) -> RouteResponse.noContent());
    }

    @Test
    void path_parameters_are_decoded_and_a_literal_wins_over_a_parameter() {
        table.mount("ticketing", List.of(route("GET", "/tickets/{ref}"), route("GET", "/tickets/review"),
                route("post", "/tickets/{ref}/close")));

        assertThat(table.match("GET", "/api/tickets/review").orElseThrow().mounted().route().path())
                .isEqualTo("/tickets/review");
        assertThat(table.match("GET", "/api/tickets/TCK%2091+a").orElseThrow().pathParameters())
                .isEqualTo(Map.of("ref", "TCK 91+a"));
        assertThat(table.match("POST", "/api/tickets/TCK-1/close")).isPresent();
        assertThat(table.match("GET", "/api/tickets/TCK-1/close")).isEmpty();
        assertThat(table.match("GET", "/api/tickets/")).isEmpty();
        assertThat(table.match("GET", "/api/tickets/%zz")).isEmpty();
    }

    @Test
    void a_route_that_shares_a_request_with_a_host_route_or_another_plugins_is_refused() {
        assertThatThrownBy(() -> table.mount("a", List.of(route("GET", "/mailboxes/special"))))
                .hasMessage("route GET /api/mailboxes/special collides with the host's route GET /api/mailboxes/{id}");
        table.mount("a", List.of(route("GET", "/mailboxes/special/x"), route("GET", "/send")));
        assertThatThrownBy(() -> table.mount("b", List.of(route("GET", "/{anything}/special/x"))))
                .hasMessage("route GET /api/{anything}/special/x collides with GET /api/mailboxes/special/x of plugin 'a'");
        assertThat(table.mounted()).extracting(PluginRouteTable.Mounted::pluginId).containsOnly("a");

        table.unmount("a");
        assertThat(table.match("GET", "/api/send")).isEmpty();
        table.mount("b", List.of(route("GET", "/{anything}/special/x")));
    }

    @Test
    void malformed_routes_are_refused_with_the_reason() {
        assertThatThrownBy(() -> table.mount("p", List.of(route("PATCH", "/x"))))
                .hasMessageContaining("the method must be one of GET, POST, PUT, DELETE");
        assertThatThrownBy(() -> table.mount("p", List.of(route("GET", "/x/../y"))))
                .hasMessageContaining("'..' is neither");
        assertThatThrownBy(() -> table.mount("p", List.of(route("GET", "/x/"))))
                .hasMessageContaining("is neither a literal segment nor a {name} parameter");
        assertThatThrownBy(() -> table.mount("p", List.of(route("GET", "/x/{a}/{a}"))))
                .hasMessageContaining("names the parameter {a} twice");
        assertThatThrownBy(() -> table.mount("p", List.of(route("GET", "/x/{a}"), route("GET", "/x/{b}"))))
                .hasMessageContaining("is declared twice");
        assertThat(table.mounted()).isEmpty();
    }
}
