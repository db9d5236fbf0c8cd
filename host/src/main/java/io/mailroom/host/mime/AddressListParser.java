package io.mailroom.host.mime;

import io.mailroom.api.message.Address;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses From, To, Cc and the like without giving up on bad input: RFC 2047 words inside quoted
 * names (forbidden, and everywhere), unbalanced quotes or brackets, groups
 * ({@code undisclosed-recipients:;}), {@code addr (Name)} comments, and raw 8-bit names. Angus'
 * parser either rejects such lists or, in lenient mode, still loses names; an address we can
 * read is better than none.
 */
final class AddressListParser {

    private static final int MAX_ADDRESSES = 1000;

    private AddressListParser() {
    }

    /** The addresses of every given value (unfolded, not yet RFC 2047-decoded). */
    static List<Address> parse(List<String> values) {
        List<Address> all = new ArrayList<>();
        for (String value : values) {
            all.addAll(parse(value));
        }
        return List.copyOf(all.size() > MAX_ADDRESSES ? all.subList(0, MAX_ADDRESSES) : all);
    }

    static List<Address> parse(String value) {
        List<Address> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        StringBuilder item = new StringBuilder();
        boolean itemHasAtOrBracket = false; // tracked, not searched for: a search per ":" was quadratic
        boolean quoted = false;
        boolean angle = false;
        int comment = 0;
        for (int i = 0; i < value.length() && result.size() < MAX_ADDRESSES; i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < value.length()) {
                    item.append(c).append(value.charAt(++i));
                    continue;
                }
                quoted = c != '"';
            } else if (comment > 0) {
                comment += c == '(' ? 1 : c == ')' ? -1 : 0;
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                comment = 1;
            } else if (c == '<') {
                angle = true;
            } else if (c == '>') {
                angle = false;
            } else if (!angle && (c == ',' || c == ';')) {
                addItem(result, item.toString());
                item.setLength(0);
                itemHasAtOrBracket = false;
                continue;
            } else if (!angle && c == ':' && !itemHasAtOrBracket) {
                item.setLength(0); // "group name:" opens a group; its name is not an address
                continue;
            }
            item.append(c);
            itemHasAtOrBracket |= c == '@' || c == '<';
        }
        addItem(result, item.toString());
        return result;
    }

    private static void addItem(List<Address> result, String raw) {
        String item = raw.strip();
        if (item.isEmpty()) {
            return;
        }
        if (unescapedQuotes(item) % 2 != 0) {
            item = item.replace("\"", ""); // a stray quote would swallow the address
        }
        String name;
        String email;
        int lt = lastUnquoted(item, '<');
        if (lt >= 0) {
            int gt = item.indexOf('>', lt);
            email = item.substring(lt + 1, gt < 0 ? item.length() : gt);
            name = item.substring(0, lt);
        } else {
            StringBuilder comments = new StringBuilder();
            email = takeComments(item, comments);
            name = comments.toString();
        }
        email = cleanEmail(email);
        name = cleanName(name);
        if (email.isEmpty() && name.contains("@") && !name.contains(" ")) {
            email = cleanEmail(name); // "joe@example.com" written as a quoted name alone
            name = "";
        }
        if (email.isEmpty() || email.contains(" ")) {
            return;
        }
        result.add(new Address(name, email));
    }

    private static int unescapedQuotes(String s) {
        int count = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                i++;
            } else if (s.charAt(i) == '"') {
                count++;
            }
        }
        return count;
    }

    private static int lastUnquoted(String s, char wanted) {
        boolean quoted = false;
        int found = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == wanted && !quoted) {
                found = i;
            }
        }
        return found;
    }

    /** The text with comments removed; the comments' text goes to {@code comments}. */
    private static String takeComments(String s, StringBuilder comments) {
        StringBuilder rest = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                if (depth++ > 0) {
                    comments.append(c);
                }
            } else if (c == ')' && depth > 0) {
                if (--depth > 0) {
                    comments.append(c);
                }
            } else if (depth > 0) {
                comments.append(c);
            } else {
                rest.append(c);
            }
        }
        return rest.toString();
    }

    private static String cleanEmail(String raw) {
        String email = RawHeaders.withoutControls(raw).replaceAll("\\s+", "").replace("<", "").replace(">", "");
        if (email.regionMatches(true, 0, "mailto:", 0, 7)) {
            email = email.substring(7);
        }
        if (email.startsWith("\"") && email.endsWith("\"") && email.length() > 1 && email.indexOf('@') > 0
                && email.lastIndexOf('"') == email.length() - 1 && email.indexOf('"', 1) == email.length() - 1) {
            email = email.substring(1, email.length() - 1); // "joe@example.com" in quotes
        }
        return email;
    }

    private static String cleanName(String raw) {
        String name = raw.strip();
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' && i + 1 < name.length()) {
                out.append(name.charAt(++i));
            } else if (c != '"') {
                out.append(c);
            }
        }
        String decoded = EncodedWords.decode(out.toString());
        return RawHeaders.withoutControls(decoded).replaceAll("\\s+", " ").strip();
    }
}
