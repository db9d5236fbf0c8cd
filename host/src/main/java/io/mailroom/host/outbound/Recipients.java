package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.errors.ApiException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the recipient fields of a send into addresses, refusing what does not parse strictly. */
final class Recipients {

    static final int MAX_RECIPIENTS = 100;

    private Recipients() {
    }

    /** The addresses of one field ({@code to}); an absent field is none. */
    static List<InternetAddress> read(JsonNode field, String path) {
        List<InternetAddress> addresses = new ArrayList<>();
        if (field == null || field.isNull()) {
            return addresses;
        }
        if (field.isTextual()) {
            addresses.addAll(parse(field.asText(), path));
        } else if (field.isArray()) {
            for (int i = 0; i < field.size(); i++) {
                JsonNode entry = field.get(i);
                String at = path + "[" + i + "]";
                if (entry.isTextual()) {
                    addresses.addAll(parse(entry.asText(), at));
                } else if (entry.isObject() && entry.path("email").isTextual()) {
                    String name = entry.path("name").isTextual() ? entry.path("name").asText() : null;
                    HeaderText.require(name, at + ".name");
                    List<InternetAddress> one = parse(entry.path("email").asText(), at + ".email");
                    if (one.size() != 1) {
                        throw ApiException.invalid(at + ".email", "must be one address");
                    }
                    addresses.add(named(one.getFirst().getAddress(), name));
                } else {
                    throw ApiException.invalid(at, "must be an address or {\"name\",\"email\"}");
                }
            }
        } else {
            throw ApiException.invalid(path, "must be an address or a list of addresses");
        }
        if (addresses.size() > MAX_RECIPIENTS) {
            throw ApiException.invalid(path, "at most " + MAX_RECIPIENTS + " recipients");
        }
        return addresses;
    }

    private static List<InternetAddress> parse(String text, String path) {
        HeaderText.require(text, path);
        try {
            InternetAddress[] parsed = InternetAddress.parse(text, true);
            List<InternetAddress> addresses = new ArrayList<>();
            for (InternetAddress address : parsed) {
                if (address.isGroup()) {
                    throw ApiException.invalid(path, "groups are not accepted");
                }
                address.validate();
                String local = address.getAddress();
                if (local.indexOf('@') <= 0 || !StandardCharsets.US_ASCII.newEncoder().canEncode(local)) {
                    throw ApiException.invalid(path, "'" + text + "' is not an address");
                }
                addresses.add(named(address.getAddress(), address.getPersonal()));
            }
            if (addresses.isEmpty()) {
                throw ApiException.invalid(path, "no address given");
            }
            return addresses;
        } catch (AddressException e) {
            throw ApiException.invalid(path, "'" + text + "' is not an address");
        }
    }

    /** An address with its display name encoded as RFC 2047 when it is not ASCII. */
    static InternetAddress named(String email, String name) {
        try {
            return name == null || name.isBlank() ? new InternetAddress(email)
                    : new InternetAddress(email, name, "UTF-8");
        } catch (AddressException | UnsupportedEncodingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
