package io.mailroom.plugins.pop3;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A message in a POP3 session's listing. The number is valid for this session only; the UIDL
 * is the key that names the message across sessions.
 *
 * @param number the message number in this session
 * @param uidl   the server's unique id (UIDL)
 * @param size   the size LIST gave, in octets (0 when the server did not say)
 */
record ListedMessage(int number, String uidl, long size) {

    /**
     * The listing from the lines of UIDL and LIST ({@code "n value"}), in message-number order.
     * A UIDL listed twice (a broken server) is kept once: the others are handed to
     * {@code duplicate} and left alone, since they cannot be told apart from the first.
     *
     * @throws NumberFormatException when a line is not {@code "n value"}
     */
    static List<ListedMessage> listing(List<String> uidlLines, List<String> listLines, Consumer<ListedMessage> duplicate) {
        Map<Integer, Long> sizes = new HashMap<>();
        for (String line : listLines) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length >= 2) {
                sizes.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            }
        }
        Map<String, ListedMessage> byUidl = new LinkedHashMap<>();
        for (String line : uidlLines) {
            String[] parts = line.strip().split("\\s+", 2);
            if (parts.length < 2) {
                continue;
            }
            int number = Integer.parseInt(parts[0]);
            ListedMessage message = new ListedMessage(number, parts[1].strip(), sizes.getOrDefault(number, 0L));
            if (byUidl.putIfAbsent(message.uidl(), message) != null) {
                duplicate.accept(message);
            }
        }
        List<ListedMessage> messages = new ArrayList<>(byUidl.values());
        messages.sort(Comparator.comparingInt(ListedMessage::number));
        return messages;
    }
}
