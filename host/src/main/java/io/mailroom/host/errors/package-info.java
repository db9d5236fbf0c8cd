/**
 * The errors an API caller is told of: status, {@code error} code and {@code details}. Every
 * feature throws them, from its routes and from the services under them ({@code auth/Users},
 * {@code mailboxes/Mailboxes}), so they sit below all of those and below {@code http/}, which only
 * writes them out; they import nothing of the host.
 */
package io.mailroom.host.errors;
