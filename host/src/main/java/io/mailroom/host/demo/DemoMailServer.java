package io.mailroom.host.demo;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.util.Date;
import java.util.Properties;

/**
 * The demo's mail server: an embedded GreenMail with IMAP and SMTP on loopback (so nobody else on
 * the network can use it), without TLS, with an account for each of {@link DemoPeople}. It
 * listens on {@value #IMAP_PORT} and {@value #SMTP_PORT} when those are free, so a mail client
 * set up once keeps working across demo starts, and on free ports otherwise. It keeps its mail
 * in memory: each demo start begins with the seed again.
 */
final class DemoMailServer implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final int IMAP_PORT = 3143;
    static final int SMTP_PORT = 3025;

    private final GreenMail greenMail;

    private DemoMailServer(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    static DemoMailServer start() {
        GreenMail greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(Ports.freeOrAny(HOST, IMAP_PORT), HOST, ServerSetup.PROTOCOL_IMAP),
                new ServerSetup(Ports.freeOrAny(HOST, SMTP_PORT), HOST, ServerSetup.PROTOCOL_SMTP)});
        greenMail.start();
        DemoMailServer server = new DemoMailServer(greenMail);
        try {
            for (DemoPeople.Person person : DemoPeople.ACCOUNTS) {
                greenMail.setUser(person.email(), person.email(), DemoPeople.PASSWORD);
            }
            server.seed();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    int imapPort() {
        return greenMail.getImap().getPort();
    }

    int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    /** Puts the seed mail into the support account's folders, each with its own date as arrival date. */
    private void seed() {
        ImapHostManager folders = greenMail.getManagers().getImapHostManager();
        GreenMailUser support = greenMail.getUserManager().getUser(DemoPeople.SUPPORT.email());
        Session session = Session.getInstance(new Properties());
        try {
            MailFolder sent = folders.createMailbox(support, SeedMail.SENT);
            MailFolder inbox = folders.getInbox(support);
            for (SeedMail.Message seed : SeedMail.ALL) {
                MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(seed.bytes()));
                Date arrived = message.getSentDate() != null ? message.getSentDate() : new Date();
                Flags flags = seed.folder().equals(SeedMail.SENT) ? new Flags(Flags.Flag.SEEN) : new Flags();
                (seed.folder().equals(SeedMail.SENT) ? sent : inbox).appendMessage(message, flags, arrived);
            }
        } catch (MessagingException | FolderException | com.icegreen.greenmail.imap.AuthorizationException e) {
            throw new IllegalStateException("cannot seed the demo mail server: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
