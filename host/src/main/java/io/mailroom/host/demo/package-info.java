/**
 * {@code mailroom serve --demo}: Mailroom with something to show, in a minute, on one machine.
 * An embedded GreenMail plays the mail server (IMAP and SMTP on loopback), seeded with a small
 * set of realistic mail; Mailroom runs on a database of its own in a demo data directory that
 * is wiped at each start, and is set up through its own HTTP API, the way a user would. Start
 * with {@link io.mailroom.host.demo.DemoMode#start}.
 */
package io.mailroom.host.demo;
