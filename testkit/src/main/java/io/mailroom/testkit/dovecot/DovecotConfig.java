package io.mailroom.testkit.dovecot;

import java.nio.file.Path;

/**
 * The text of a Dovecot configuration that runs without root: every service keeps the user it
 * was started as (an empty {@code user} means "do not change"), no service chroots, and the
 * user database returns no uid, so no process ever calls {@code setuid}. That is what makes it
 * work inside {@code unshare -U}, where the test JVM runs as an unmapped uid for which
 * {@code setuid} fails even to the same uid.
 */
record DovecotConfig(String user, String group, Path baseDir, Path stateDir, Path logFile, Path usersDir, Path mailDir,
                     int imapPort, int imapsPort, int pop3Port, int pop3sPort,
                     Path certificate, Path privateKey, String extra) {

    /** Services that carry a default user in Dovecot 2.3; each is told to keep ours. */
    private static final String[] SERVICES_WITH_USERS = {
            "aggregator", "anvil", "auth", "auth-worker", "dict", "dict-async", "director", "dns-client",
            "health-check", "imap-hibernate", "imap-urlauth", "indexer", "ipc", "old-stats", "stats",
            "submission-login", "tcpwrap", "imap-urlauth-login"};

    boolean tls() {
        return certificate != null;
    }

    String render() {
        StringBuilder conf = new StringBuilder();
        conf.append("""
                # Written by io.mailroom.testkit.dovecot.DovecotServer for one test run.
                base_dir = %s
                state_dir = %s
                instance_name = mailroom-test-%d
                log_path = %s
                protocols = imap pop3
                default_login_user = %s
                default_internal_user = %s
                default_internal_group = %s
                listen = 127.0.0.1
                shutdown_clients = yes
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                # tests try wrong passwords on purpose: answer at once
                auth_failure_delay = 0
                first_valid_uid = 0
                first_valid_gid = 0
                mail_fsync = never
                mail_location = maildir:%s/%%u
                passdb {
                  driver = passwd-file
                  # a file per user: a new user's file is read at their first login, whereas a
                  # changed file is noticed at most once a second
                  args = scheme=PLAIN %s/%%u
                }
                userdb {
                  driver = static
                  args = home=%s/%%u allow_all_users=yes
                }
                namespace inbox {
                  inbox = yes
                  separator = /
                  mailbox Drafts {
                    special_use = \\Drafts
                    auto = subscribe
                  }
                  mailbox Sent {
                    special_use = \\Sent
                    auto = subscribe
                  }
                  mailbox Trash {
                    special_use = \\Trash
                    auto = subscribe
                  }
                  mailbox Junk {
                    special_use = \\Junk
                    auto = subscribe
                  }
                }
                """.formatted(baseDir, stateDir, imapPort, logFile, user, user, group, mailDir, usersDir, mailDir));
        if (tls()) {
            conf.append("""
                    ssl = yes
                    ssl_cert = <%s
                    ssl_key = <%s
                    """.formatted(certificate, privateKey));
        } else {
            conf.append("ssl = no\n");
        }
        conf.append(loginService("imap-login", "imap", imapPort, "imaps", imapsPort));
        conf.append(loginService("pop3-login", "pop3", pop3Port, "pop3s", pop3sPort));
        if (!extra.isBlank()) {
            conf.append("# given by the test\n").append(extra).append('\n');
        }
        for (String service : SERVICES_WITH_USERS) {
            conf.append("service ").append(service).append(" {\n  user =\n");
            if (service.equals("anvil")) {
                conf.append("  chroot =\n");
            }
            conf.append("}\n");
        }
        return conf.toString();
    }

    private String loginService(String service, String plain, int plainPort, String secure, int securePort) {
        return """
                service %s {
                  user =
                  chroot =
                  inet_listener %s {
                    address = 127.0.0.1
                    port = %d
                  }
                  inet_listener %s {
                    address = 127.0.0.1
                    port = %d
                  }
                }
                """.formatted(service, plain, plainPort, secure, tls() ? securePort : 0);
    }
}
