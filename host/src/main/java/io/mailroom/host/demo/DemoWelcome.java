package io.mailroom.host.demo;

import java.nio.file.Path;

/**
 * What the demo prints once on standard output when it is ready: where to click, and how to send
 * it mail. The token travels in the URL's fragment ({@code #token=}), which browsers never send
 * to a server, so it lands in no access log; the admin pages read it from there.
 */
final class DemoWelcome {

    private DemoWelcome() {
    }

    static String text(int httpPort, String token, DemoMailServer mail, DemoSeed.Result seeded, Path dataDir) {
        String base = "http://localhost:" + httpPort;
        DemoSeed.FirstSync sync = seeded.firstSync();
        StringBuilder text = new StringBuilder();
        text.append("\nMailroom demo is ready.\n\n");
        text.append("  Admin pages:  ").append(base).append("/admin/#token=").append(token).append('\n');
        text.append("  API token:    ").append(token).append("   (a superadmin of this demo only; e.g. curl -H \"Authorization: Bearer ")
                .append(token).append("\" ").append(base).append("/api/messages)\n\n");
        text.append("  Demo mail server (GreenMail, on this machine only, no TLS; every password is \"")
                .append(DemoPeople.PASSWORD).append("\"):\n");
        text.append("    IMAP ").append(DemoMailServer.HOST).append(':').append(mail.imapPort())
                .append("   SMTP ").append(DemoMailServer.HOST).append(':').append(mail.smtpPort()).append('\n');
        text.append("    ").append(DemoPeople.SUPPORT.email()).append("   the mailbox Mailroom syncs (INBOX and Sent)\n");
        text.append("    ").append(DemoPeople.ANN.email()).append("            a customer: log in as her with any mail client and write to ")
                .append(DemoPeople.SUPPORT.email()).append(";\n")
                .append("                                her mail shows up within seconds, and Mailroom's replies to her arrive in her inbox\n\n");
        text.append("  First sync:   ").append(sync.stored()).append(" messages stored, ")
                .append(sync.quarantined()).append(" quarantined (status ")
                .append(sync.status()).append(")\n");
        for (String missing : seeded.notSeeded()) {
            text.append("  Not set up:   ").append(missing).append('\n');
        }
        text.append("  Demo data:    ").append(dataDir).append("   (deleted and seeded again at each 'serve --demo')\n");
        text.append("  Stop with Ctrl-C.\n");
        return text.toString();
    }
}
