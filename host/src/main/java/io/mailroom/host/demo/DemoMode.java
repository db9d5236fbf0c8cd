package io.mailroom.host.demo;

import io.mailroom.host.Mailroom;
import io.mailroom.host.config.MailroomConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code mailroom serve --demo}: a demo mail server, a Mailroom on a database of its own, the
 * demo set up through the API, the first sync done, and then one welcome on standard output
 * (see {@link DemoWelcome}). The real data directory and a configured database are never
 * touched: see {@link DemoConfig} and {@link DemoDirectory}.
 *
 * <p>Closing it stops Mailroom, then the mail server (Mailroom's last syncs and sends still
 * reach it), then lets go of the demo directory.
 */
public final class DemoMode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMode.class);
    private static final String TOKEN_LINE = "Admin token: ";

    private final DemoDirectory directory;
    private final DemoMailServer mail;
    private final Mailroom mailroom;

    private DemoMode(DemoDirectory directory, DemoMailServer mail, Mailroom mailroom) {
        this.directory = directory;
        this.mail = mail;
        this.mailroom = mailroom;
    }

    /** Starts the demo beside the installation {@code configured} describes; {@code out} gets the welcome. */
    public static DemoMode start(MailroomConfig configured, PrintStream out) {
        DemoDirectory directory = DemoDirectory.claim(DemoDirectory.beside(configured.dataDir()));
        DemoMailServer mail = null;
        Mailroom mailroom = null;
        try {
            String ignored = DemoConfig.ignored(configured);
            if (!ignored.isEmpty()) {
                LOG.info("Demo mode ignores {}: it runs on its own embedded database in {}", ignored, directory.path());
            }
            int httpPort = Ports.freeOrAny(null, configured.httpPort());
            if (httpPort != configured.httpPort()) {
                LOG.info("Port {} is in use; the demo listens on another one (printed below)", configured.httpPort());
            }
            mail = DemoMailServer.start();
            ByteArrayOutputStream firstStart = new ByteArrayOutputStream();
            mailroom = Mailroom.start(DemoConfig.of(configured, directory.path(), httpPort),
                    new PrintStream(firstStart, true, StandardCharsets.UTF_8));
            String token = adminToken(firstStart.toString(StandardCharsets.UTF_8));
            DemoSeed.Result seeded = new DemoSeed(new DemoApi("http://127.0.0.1:" + mailroom.port(), token), mail).run();
            out.print(DemoWelcome.text(mailroom.port(), token, mail, seeded, directory.path()));
            out.flush();
            return new DemoMode(directory, mail, mailroom);
        } catch (RuntimeException e) {
            closeQuietly(mailroom, e);
            closeQuietly(mail, e);
            closeQuietly(directory, e);
            throw e;
        }
    }

    /** The demo database is new, so its first start made a superadmin and printed that one token. */
    private static String adminToken(String printed) {
        return printed.lines().filter(line -> line.startsWith(TOKEN_LINE)).findFirst()
                .map(line -> line.substring(TOKEN_LINE.length()).strip())
                .orElseThrow(() -> new IllegalStateException("the demo database was not new: no admin token was made"));
    }

    public int port() {
        return mailroom.port();
    }

    @Override
    public void close() {
        try {
            mailroom.close();
        } finally {
            try {
                mail.close();
            } finally {
                directory.close();
            }
        }
    }

    private static void closeQuietly(AutoCloseable part, RuntimeException failure) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
