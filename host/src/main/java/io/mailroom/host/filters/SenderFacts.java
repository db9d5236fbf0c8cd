package io.mailroom.host.filters;

import java.util.Optional;

/** What the directory knows of an address, for {@code sender_is_contact} and {@code sender_company}. */
public interface SenderFacts {

    /** Knows nothing: for a filter tested without the directory. */
    SenderFacts NONE = new SenderFacts() {
        @Override
        public boolean isContact(String email) {
            return false;
        }

        @Override
        public Optional<String> company(String email) {
            return Optional.empty();
        }
    };

    boolean isContact(String email);

    /** The name of the address's company: its contact's, else its domain's. */
    Optional<String> company(String email);
}
