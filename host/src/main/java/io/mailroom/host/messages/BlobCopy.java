package io.mailroom.host.messages;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes blobs with PostgreSQL's bulk path, {@code COPY blobs FROM STDIN} in binary format,
 * through PgJDBC's {@code CopyManager}: each content is streamed in 64 KB pieces as it is read,
 * never whole in the heap. Measured against a batch of {@code INSERT … ON CONFLICT DO NOTHING}
 * (docs/PERFORMANCE.md) it is about a third faster.
 *
 * <p>COPY cannot skip a row that exists, so the hashes already stored are looked up first (one
 * query) and only the others are copied. Another transaction may store the same bytes in
 * between; then the COPY fails on the primary key, is rolled back to a savepoint, and the batch
 * of inserts that skip existing rows writes them instead.
 */
final class BlobCopy {

    static final String COPY = "COPY blobs (sha256, size, content) FROM STDIN (FORMAT binary)";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
            0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};

    private BlobCopy() {
    }

    /** Stores the blobs not stored yet; each hash at most once in {@code blobs}. */
    static void insertAll(Handle handle, Collection<BlobDao.Blob> blobs) {
        Set<String> stored = new HashSet<>(handle.createQuery("SELECT sha256 FROM blobs WHERE sha256 = ANY(:hashes)")
                .bind("hashes", blobs.stream().map(BlobDao.Blob::sha256).toArray(String[]::new))
                .mapTo(String.class).list());
        List<BlobDao.Blob> missing = blobs.stream().filter(blob -> !stored.contains(blob.sha256())).toList();
        if (missing.isEmpty()) {
            return;
        }
        boolean savepoint = handle.isInTransaction();
        if (savepoint) {
            handle.savepoint("blob_copy");
        }
        try {
            copy(handle, missing, COPY);
            if (savepoint) {
                handle.release("blob_copy");
            }
        } catch (UnableToExecuteStatementException e) {
            if (!(e.getCause() instanceof SQLException sql) || !UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw e;
            }
            if (savepoint) {
                handle.rollbackToSavepoint("blob_copy");
            }
            handle.attach(BlobDao.class).insertEach(missing);
        }
    }

    /** Runs {@code copySql} (a binary COPY of sha256, size, content) with these rows; fails on a hash that is stored. */
    static void copy(Handle handle, Collection<BlobDao.Blob> blobs, String copySql) {
        try {
            CopyIn in = handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            try {
                in.writeToCopy(HEADER, 0, HEADER.length);
                byte[] buffer = new byte[64 * 1024];
                for (BlobDao.Blob blob : blobs) {
                    writeRow(in, blob, buffer);
                }
                in.writeToCopy(TRAILER, 0, TRAILER.length);
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read content to store it: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** One tuple of the binary format: 3 fields, each its length then its bytes (text, int8, bytea). */
    private static void writeRow(CopyIn in, BlobDao.Blob blob, byte[] buffer) throws IOException, SQLException {
        byte[] hash = blob.sha256().getBytes(StandardCharsets.UTF_8);
        long size = blob.content().size();
        if (size > Integer.MAX_VALUE) {
            throw new IOException("content of " + blob.sha256() + " is over 2 GB");
        }
        ByteBuffer head = ByteBuffer.allocate(2 + 4 + hash.length + 4 + 8 + 4);
        head.putShort((short) 3).putInt(hash.length).put(hash).putInt(8).putLong(size).putInt((int) size);
        in.writeToCopy(head.array(), 0, head.position());
        long written = 0;
        try (InputStream content = blob.content().open()) {
            int n;
            while (written < size && (n = content.read(buffer, 0, (int) Math.min(buffer.length, size - written))) >= 0) {
                in.writeToCopy(buffer, 0, n);
                written += n;
            }
        }
        if (written != size) {
            // the row's length was announced: the server must not take the next row's bytes for this one's
            throw new IOException("content of " + blob.sha256() + " ended at " + written + " of " + size + " bytes");
        }
    }
}
