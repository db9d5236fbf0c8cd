package io.mailroom.plugins.pop3;

/**
 * A message in a POP3 session's listing. The number is valid for this session only; the UIDL
 * is the key that names the message across sessions.
 *
 * @param number the message number in this session
 * @param uidl   the server's unique id (UIDL)
 * @param size   the size LIST gave, in octets (0 when the server did not say)
 */
record ListedMessage(int number, String uidl, long size) {
}
