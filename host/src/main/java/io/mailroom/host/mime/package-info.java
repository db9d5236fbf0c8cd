/**
 * Turning raw RFC 5322 bytes into what the pipeline stores: {@link io.mailroom.host.mime.MessageParser}
 * (headers, bodies, attachments, with charset and encoding fallbacks so that real-world mail parses),
 * {@link io.mailroom.host.mime.HtmlSanitizer} and {@link io.mailroom.host.mime.HtmlToText} for bodies,
 * {@link io.mailroom.host.mime.Classifier} (auto-reply, bounce, bulk) and
 * {@link io.mailroom.host.mime.SubjectKey} for threading by subject.
 *
 * <p>Apache mime4j's streaming parser ({@code MimeTokenStream}, set up in
 * {@link io.mailroom.host.mime.MimeStreams}) reads header sections and splits multiparts, and its
 * codecs decode base64 and quoted-printable, silently forgiving. Its limits fail a message, so ours
 * cut first ({@link io.mailroom.host.mime.HeaderLimits}, the walker's part and depth bounds). What
 * it does not forgive is done here, each with a test in {@code WhatMime4jDoesNotForgiveTest}:
 * multiparts with a wrong or missing boundary or a transfer encoding, charset fallbacks, RFC 2047
 * words split mid-character or in unknown charsets, RFC 2231 parameters in wrong charsets,
 * addresses, dates in the shapes mail carries, uuencode.
 *
 * <p>Every pass over content is linear (no backtracking regex, no loop of copies), and a
 * {@link io.mailroom.host.mime.ParseBudget} bounds the CPU time and decoded bytes of one message:
 * a hostile message is parsed as far as the bounds allow and marked cut, never failed for it.
 */
package io.mailroom.host.mime;
