package io.mailroom.host.messages;

import io.mailroom.api.source.RawContent;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Blobs go in with COPY; bytes stored already, or stored by another transaction meanwhile, are skipped. */
class BlobCopyTest {

    static Database database;
    static Jdbi jdbi;

    @BeforeAll
    static void create() {
        database = TestDatabase.create();
        jdbi = database.jdbi();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void blobs_are_copied_whole_and_stored_ones_are_skipped() {
        byte[] large = new byte[3_000_000];
        new Random(3).nextBytes(large);
        jdbi.useTransaction(handle -> handle.attach(BlobDao.class).insertAll(List.of(blob("copy-a", "first"))));

        jdbi.useTransaction(handle -> handle.attach(BlobDao.class).insertAll(List.of(
                blob("copy-a", "first"), new BlobDao.Blob("copy-large", content(large)), blob("copy-empty", ""))));

        assertThat(jdbi.onDemand(BlobDao.class).content("copy-a")).hasValue(bytes("first"));
        assertThat(jdbi.onDemand(BlobDao.class).content("copy-large")).hasValue(large);
        assertThat(jdbi.onDemand(BlobDao.class).content("copy-empty")).hasValue(new byte[0]);
        long size = jdbi.withHandle(h -> h.createQuery("SELECT size FROM blobs WHERE sha256 = 'copy-large'")
                .mapTo(Long.class).one());
        assertThat(size).isEqualTo(large.length);
    }

    @Test
    void bytes_another_transaction_stores_meanwhile_are_skipped_and_the_rest_stored() throws Exception {
        try (Handle other = jdbi.open()) {
            other.begin();
            other.execute("INSERT INTO blobs (sha256, size, content) VALUES ('race-x', 1, 'x'::bytea)");
            // not committed: the look-up does not see it, the COPY waits for it
            CompletableFuture<Void> copying = CompletableFuture.runAsync(() -> jdbi.useTransaction(handle ->
                    handle.attach(BlobDao.class).insertAll(List.of(blob("race-y", "y"), blob("race-x", "x")))));
            while (!copying.isDone() && jdbi.withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted").mapTo(Long.class).one()) == 0) {
                Thread.onSpinWait();
            }
            other.commit();
            copying.get();
        }

        assertThat(jdbi.onDemand(BlobDao.class).content("race-x")).hasValue(bytes("x"));
        assertThat(jdbi.onDemand(BlobDao.class).content("race-y")).hasValue(bytes("y"));
    }

    private static BlobDao.Blob blob(String hash, String text) {
        return new BlobDao.Blob(hash, content(bytes(text)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static RawContent content(byte[] bytes) {
        return new RawContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }
}
