package io.mailroom.host.auth;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * Makes sure someone can log in. On first start with no users it creates a superadmin with a
 * token: the one configured in {@code MAILROOM_ADMIN_TOKEN}, or a new one printed once to
 * standard output. A configured token is also accepted later, when it was added after the
 * first start; when the configured value changes, the token the old value gave is revoked (an
 * operator rotates a leaked admin token by changing the setting). Removing the setting revokes
 * nothing: the token then lives on like any other, and {@code DELETE /api/tokens/{id}} revokes it.
 */
public final class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final Jdbi jdbi;

    public AdminBootstrap(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void run(Optional<String> configuredToken, PrintStream out) {
        jdbi.useTransaction(handle -> {
            UserDao users = handle.attach(UserDao.class);
            users.lockAgainstConcurrentCreation();
            TokenDao tokens = handle.attach(TokenDao.class);
            Optional<User> existing = users.firstSuperadmin();
            if (existing.isPresent() && configuredToken.isEmpty()) {
                return;
            }
            long adminId = existing.map(User::id).orElseGet(() ->
                    users.insert("Administrator", "admin@localhost", Role.SUPERADMIN.id(),
                            List.of("credential_notifications").toArray(String[]::new)));
            if (configuredToken.isPresent()) {
                String hash = ApiTokens.hash(configuredToken.get());
                int revoked = tokens.revokeConfiguredOtherThan(hash);
                if (revoked > 0) {
                    LOG.info("MAILROOM_ADMIN_TOKEN changed: revoked the token its previous value gave");
                }
                if (!tokens.exists(hash)) {
                    tokens.insertConfigured(adminId, hash);
                    LOG.info("Accepting the admin token from MAILROOM_ADMIN_TOKEN for user {}", adminId);
                }
                return;
            }
            String token = ApiTokens.generate();
            tokens.insert(adminId, "first start", ApiTokens.hash(token));
            out.println("Admin token: " + token);
            out.flush();
            LOG.info("Created the first superadmin (user {}); its token was printed once to standard output", adminId);
        });
    }
}
