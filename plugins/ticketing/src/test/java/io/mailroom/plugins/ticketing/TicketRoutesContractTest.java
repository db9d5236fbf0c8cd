package io.mailroom.plugins.ticketing;

import io.mailroom.api.route.PluginRoute;
import io.mailroom.api.route.PluginRoutes;
import io.mailroom.testkit.ExtensionContract;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TicketRoutesContractTest implements ExtensionContract<PluginRoutes> {

    @Override
    public PluginRoutes extension() {
        return new TicketRoutes();
    }

    @Override
    public Class<PluginRoutes> point() {
        return PluginRoutes.class;
    }

    @Test
    void the_routes_are_those_of_the_api_contract() {
        assertThat(new TicketRoutes().routes()).extracting(route -> route.method() + " " + route.path())
                .containsExactly("GET /tickets/review", "POST /tickets/review/{message_id}", "GET /tickets",
                        "GET /tickets/{ref}", "POST /tickets/{ref}/close", "POST /tickets/{ref}/reopen",
                        "POST /tickets/{ref}/reply");
        assertThat(new TicketRoutes().routes()).extracting(PluginRoute::access).containsOnly(PluginRoute.Access.USER);
    }
}
