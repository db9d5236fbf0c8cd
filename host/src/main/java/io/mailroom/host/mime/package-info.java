/**
 * Turning raw RFC 5322 bytes into what the pipeline stores: {@link io.mailroom.host.mime.MessageParser}
 * (headers, bodies, attachments, with charset and encoding fallbacks so that real-world mail parses),
 * {@link io.mailroom.host.mime.HtmlSanitizer} and {@link io.mailroom.host.mime.HtmlToText} for bodies,
 * {@link io.mailroom.host.mime.Classifier} (auto-reply, bounce, bulk) and
 * {@link io.mailroom.host.mime.SubjectKey} for threading by subject.
 *
 * <p>Angus Mail reads header sections and splits multiparts over a shared stream without copying
 * (bounded first by {@link io.mailroom.host.mime.HeaderLimits} and
 * {@link io.mailroom.host.mime.MultipartLimits}, since Angus makes an object of every part before
 * we see it). Apache mime4j decodes base64 and quoted-printable, silently forgiving. What neither
 * forgives is done here, each with a test in {@code WhatMime4jDoesNotForgiveTest}: charset
 * fallbacks, RFC 2047 words split mid-character or in unknown charsets, RFC 2231 parameters in
 * wrong charsets, addresses, dates in the shapes mail carries.
 *
 * <p>Every pass over content is linear (no backtracking regex, no loop of copies), and a
 * {@link io.mailroom.host.mime.ParseBudget} bounds the CPU time and decoded bytes of one message:
 * a hostile message is parsed as far as the bounds allow and marked cut, never failed for it.
 */
package io.mailroom.host.mime;
