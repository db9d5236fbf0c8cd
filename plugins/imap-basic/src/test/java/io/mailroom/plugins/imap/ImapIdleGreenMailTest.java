package io.mailroom.plugins.imap;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailroom.api.source.SourceConnection;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Properties;

import static io.mailroom.plugins.imap.TestMail.CONTEXT;
import static io.mailroom.plugins.imap.TestMail.account;
import static io.mailroom.plugins.imap.TestMail.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Waiting for new mail with IDLE against GreenMail; other clients append over IMAP. */
class ImapIdleGreenMailTest extends ImapIdleContract {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice@example.com", "alice", "secret"))
            .withPerMethodLifecycle(true);

    @Override
    SourceConnection connect() {
        return new ImapSource().connect(account(greenMail.getImap().getPort(), "alice", "secret"), CONTEXT);
    }

    @Override
    void appendByAnotherClient(String subject) {
        withStore(store -> {
            Folder inbox = store.getFolder("INBOX");
            MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message(subject)));
            inbox.appendMessages(new MimeMessage[]{mime});
        });
    }

    @Override
    void createFolder(String name) {
        withStore(store -> store.getFolder(name).create(Folder.HOLDS_MESSAGES));
    }

    @Test
    void renews_its_idle_and_still_sees_new_mail() throws Exception {
        ConnectionSockets sockets = new ConnectionSockets(javax.net.SocketFactory.getDefault());
        IMAPStore store = ImapLogin.connect(account(greenMail.getImap().getPort(), "alice", "secret"), sockets);
        try {
            FolderWatch watch = new FolderWatch(store, sockets, Duration.ofMillis(100));
            assertThat(watch.await("INBOX", LONG)).isTrue();
            assertThat(watch.await("INBOX", Duration.ofMillis(500))).as("five IDLEs, one after another").isFalse();

            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return watch.await("INBOX", LONG);
                } catch (MessagingException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(450);
            appendByAnotherClient("after a few renewals");
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            store.close();
        }
    }

    private interface StoreWork {
        void run(Store store) throws Exception;
    }

    private static void withStore(StoreWork work) {
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect("127.0.0.1", greenMail.getImap().getPort(), "alice", "secret");
            work.run(store);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
