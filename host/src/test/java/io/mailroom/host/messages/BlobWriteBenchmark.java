package io.mailroom.host.messages;

import io.mailroom.api.source.RawContent;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Not a test (no assertion on time): compares ways of writing a batch of blobs, alternating, in one
 * JVM against one server. {@code ./mvnw -pl host -am test -Dtest=BlobWriteBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; the figures are in docs/PERFORMANCE.md.
 */
class BlobWriteBenchmark {

    private static final int BATCHES = Integer.getInteger("blobs.batches", 20);
    private static final int PER_BATCH = 100;

    @Test
    void compare() {
        try (Database database = TestDatabase.create()) {
            Jdbi jdbi = database.jdbi();
            List<String> names = List.of("INSERT batch", "COPY via temp table", "COPY after look-up (kept)");
            List<BiConsumer<Handle, List<BlobDao.Blob>>> ways = List.of(
                    (handle, blobs) -> handle.attach(BlobDao.class).insertEach(blobs),
                    BlobWriteBenchmark::copyViaTempTable,
                    (handle, blobs) -> handle.attach(BlobDao.class).insertAll(blobs));
            long[] nanos = new long[ways.size()];
            Random random = new Random(1);
            long bytes = 0;
            for (int round = 0; round < BATCHES; round++) {
                for (int w = 0; w < ways.size(); w++) {
                    int way = (w + round) % ways.size();
                    List<BlobDao.Blob> blobs = batch(random);
                    bytes += blobs.stream().mapToLong(b -> b.content().size()).sum();
                    long start = System.nanoTime();
                    jdbi.useTransaction(handle -> ways.get(way).accept(handle, blobs));
                    nanos[way] += System.nanoTime() - start;
                }
            }
            for (int w = 0; w < ways.size(); w++) {
                System.out.printf("BENCH %-28s %d batches of %d blobs: %.2f s%n", names.get(w), BATCHES, PER_BATCH,
                        nanos[w] / 1e9);
            }
            System.out.printf("BENCH %.1f MB per way%n", bytes / 1e6 / ways.size());
        }
    }

    /** The other way to dedup with COPY: into a temporary table, then INSERT … SELECT … ON CONFLICT DO NOTHING. */
    static void copyViaTempTable(Handle handle, List<BlobDao.Blob> blobs) {
        handle.execute("CREATE TEMP TABLE IF NOT EXISTS blob_load (LIKE blobs INCLUDING STORAGE) ON COMMIT DELETE ROWS");
        BlobCopy.copy(handle, blobs, "COPY blob_load (sha256, size, content) FROM STDIN (FORMAT binary)");
        handle.execute("INSERT INTO blobs SELECT * FROM blob_load ON CONFLICT DO NOTHING");
        handle.execute("TRUNCATE blob_load");
    }

    /** 100 blobs like the benchmark folder's messages: mostly 5-60 KB, a few of 300 KB-1 MB. */
    private static List<BlobDao.Blob> batch(Random random) {
        List<BlobDao.Blob> blobs = new ArrayList<>();
        for (int i = 0; i < PER_BATCH; i++) {
            int size = i % 10 == 0 ? 300_000 + random.nextInt(700_000) : 5_000 + random.nextInt(55_000);
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            String hash = HexFormat.of().formatHex(Arrays.copyOf(bytes, 32));
            blobs.add(new BlobDao.Blob(hash, new RawContent() {
                @Override
                public long size() {
                    return bytes.length;
                }

                @Override
                public InputStream open() {
                    return new ByteArrayInputStream(bytes);
                }
            }));
        }
        return blobs;
    }
}
