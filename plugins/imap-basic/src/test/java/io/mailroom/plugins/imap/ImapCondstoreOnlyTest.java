package io.mailroom.plugins.imap;

import io.mailroom.api.source.FolderChanges;
import io.mailroom.api.source.FolderReader;
import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.SourceConnection;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.testkit.dovecot.DovecotServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.mailroom.plugins.imap.TestMail.ALL;
import static io.mailroom.plugins.imap.TestMail.CONTEXT;
import static io.mailroom.plugins.imap.TestMail.account;
import static io.mailroom.plugins.imap.TestMail.message;
import static org.assertj.core.api.Assertions.assertThat;

/** A server with CONDSTORE but no QRESYNC (Gmail is one): flag changes by CHANGEDSINCE, expunges unknown. */
class ImapCondstoreOnlyTest {

    @TempDir
    static Path dir;
    static DovecotServer dovecot;

    @BeforeAll
    static void startDovecot() {
        dovecot = DovecotServer.start(dir.resolve("dovecot"), false, """
                imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE MULTIAPPEND UNSELECT CHILDREN \
                NAMESPACE UIDPLUS LIST-EXTENDED CONDSTORE ESEARCH LIST-STATUS MOVE LITERAL+ SPECIAL-USE
                """).addUser("carol", "secret");
    }

    @AfterAll
    static void stopDovecot() {
        dovecot.close();
    }

    @Test
    void reports_flag_changes_with_changedsince_and_no_expunges() {
        List<Long> uids = dovecot.appendMany("carol", "INBOX", List.of(message("one"), message("two"), message("three")));
        SyncCursor cursor;
        try (SourceConnection connection = connect(); FolderReader reader = connection.open("INBOX", SyncCursor.START, ALL)) {
            assertThat(connection.capabilities()).contains("CONDSTORE").doesNotContain("QRESYNC");
            FolderBatch batch = reader.next(10, Long.MAX_VALUE);
            cursor = new SyncCursor(batch.cursorAfter().validity(), batch.cursorAfter().lastUid(),
                    reader.serverCursor().highestModSeq());
        }
        assertThat(cursor.highestModSeq()).isPositive();

        dovecot.addFlags("carol", "INBOX", new long[]{uids.get(1)}, "\\Answered");
        dovecot.expunge("carol", "INBOX", uids.get(2));

        try (SourceConnection connection = connect(); FolderReader reader = connection.open("INBOX", cursor, ALL)) {
            FolderChanges changes = reader.changes();

            assertThat(changes.flags()).containsOnlyKeys(uids.get(1).toString());
            assertThat(changes.flags().get(uids.get(1).toString())).containsExactly("\\Answered");
            assertThat(changes.expunged()).isEmpty();
        }
    }

    private SourceConnection connect() {
        return new ImapSource().connect(account(dovecot.imapPort(), "carol", "secret"), CONTEXT);
    }
}
