package io.mailroom.plugins.ticketing;

import io.mailroom.api.route.PluginRoute;
import io.mailroom.api.route.PluginRoute.Access;
import io.mailroom.api.route.PluginRoutes;

import java.util.List;

/**
 * The plugin's HTTP API under {@code /api} (API.md, "Tickets"). Every route is open to any
 * signed-in user and shows them the tickets and review items of the mailboxes they own only
 * (a superadmin: all); another user's ticket answers 404. The review routes come before
 * {@code /tickets/{ref}}, and no reference is {@code review} (it always ends in {@code -<n>}).
 */
public final class TicketRoutes implements PluginRoutes {

    @Override
    public String id() {
        return "tickets";
    }

    @Override
    public List<PluginRoute> routes() {
        return List.of(
                new PluginRoute("GET", "/tickets/review", Access.USER,
                        "Mail from unknown senders left for review", ReviewHandlers::list),
                new PluginRoute("POST", "/tickets/review/{message_id}", Access.USER,
                        "Create a ticket from a reviewed message, or dismiss it", ReviewHandlers::decide),
                new PluginRoute("GET", "/tickets", Access.USER,
                        "Tickets of the caller's mailboxes (?status=&company_id=&contact_id=)", TicketHandlers::list),
                new PluginRoute("GET", "/tickets/{ref}", Access.USER,
                        "One ticket with its messages", TicketHandlers::get),
                new PluginRoute("POST", "/tickets/{ref}/close", Access.USER, "Close a ticket", TicketHandlers::close),
                new PluginRoute("POST", "/tickets/{ref}/reopen", Access.USER, "Reopen a ticket",
                        TicketHandlers::reopen),
                new PluginRoute("POST", "/tickets/{ref}/reply", Access.USER,
                        "Reply on a ticket through the outbox, with [ref] and threading headers",
                        TicketHandlers::reply));
    }
}
