/**
 * The Mailroom extension API. Plugins compile against this module alone.
 *
 * <p>Six extension points, each discovered with {@link java.util.ServiceLoader} from a plugin's
 * {@code META-INF/services} entries: {@link io.mailroom.api.source.MailSource},
 * {@link io.mailroom.api.oauth.OAuthProvider}, {@link io.mailroom.api.filter.FilterOperator},
 * {@link io.mailroom.api.rule.RuleAction}, {@link io.mailroom.api.sink.TicketSink} and
 * {@link io.mailroom.api.route.PluginRoutes}.
 */
module io.mailroom.api {
    requires transitive java.sql;

    exports io.mailroom.api;
    exports io.mailroom.api.directory;
    exports io.mailroom.api.filter;
    exports io.mailroom.api.mailbox;
    exports io.mailroom.api.message;
    exports io.mailroom.api.oauth;
    exports io.mailroom.api.outbound;
    exports io.mailroom.api.route;
    exports io.mailroom.api.rule;
    exports io.mailroom.api.sink;
    exports io.mailroom.api.source;

    uses io.mailroom.api.source.MailSource;
    uses io.mailroom.api.oauth.OAuthProvider;
    uses io.mailroom.api.filter.FilterOperator;
    uses io.mailroom.api.rule.RuleAction;
    uses io.mailroom.api.sink.TicketSink;
    uses io.mailroom.api.route.PluginRoutes;
}
