package io.mailroom.host.plugins;

import io.mailroom.api.Extension;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.filter.FilterOperator;
import io.mailroom.api.oauth.OAuthProvider;
import io.mailroom.api.route.PluginRoutes;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.api.source.MailSource;

import java.util.List;
import java.util.regex.Pattern;

/** The extension points plugins implement: the one list the host discovers, validates and reports. */
public final class ExtensionPoints {

    /** In the order reports show them. */
    public static final List<Class<? extends Extension>> ALL = List.of(
            MailSource.class, OAuthProvider.class, FilterOperator.class, RuleAction.class, TicketSink.class,
            PluginRoutes.class);

    /** What {@link Extension#id()} promises. */
    static final Pattern ID = Pattern.compile("[a-z0-9_-]+");

    private ExtensionPoints() {
    }

    /**
     * The settings an extension declares, whatever their scope (per mailbox for a source or a sink,
     * per installation for an OAuth provider): for the checks that apply to every declaration.
     */
    public static List<SettingDescriptor> declaredSettings(Extension extension) {
        return switch (extension) {
            case MailSource source -> source.mailboxSettings();
            case TicketSink sink -> sink.mailboxSettings();
            case RuleAction action -> action.dataSettings();
            case OAuthProvider provider -> provider.installationSettings();
            default -> List.of();
        };
    }

    /** Fails unless {@code type} is one of {@link #ALL}. */
    static void check(Class<?> type) {
        if (!ALL.contains(type)) {
            throw new IllegalArgumentException(type.getName() + " is not an extension point; these are: "
                    + ALL.stream().map(Class::getSimpleName).toList());
        }
    }
}
