/**
 * Turning raw RFC 5322 bytes into what the pipeline stores: {@link io.mailroom.host.mime.MessageParser}
 * (headers, bodies, attachments, with charset and encoding fallbacks so that real-world mail parses),
 * {@link io.mailroom.host.mime.HtmlSanitizer} and {@link io.mailroom.host.mime.HtmlToText} for bodies,
 * {@link io.mailroom.host.mime.Classifier} (auto-reply, bounce, bulk) and
 * {@link io.mailroom.host.mime.SubjectKey} for threading by subject.
 *
 * <p>Angus Mail is used for what it does well, reading header sections and splitting multiparts
 * over a shared stream without copying; the decoding that has to forgive broken mail (charsets,
 * RFC 2047 words, RFC 2231 parameters, base64 and quoted-printable, addresses, dates) is done here,
 * because Angus reads its leniency switches from JVM-wide system properties once per class load.
 */
package io.mailroom.host.mime;
