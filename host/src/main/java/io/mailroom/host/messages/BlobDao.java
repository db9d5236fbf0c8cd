package io.mailroom.host.messages;

import io.mailroom.api.source.RawContent;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Raw messages and attachment contents by SHA-256; the same bytes are stored once. */
public interface BlobDao extends SqlObject {

    String INSERT = "INSERT INTO blobs (sha256, size, content) VALUES (:sha256, :size, :content) ON CONFLICT DO NOTHING";

    /** Bytes to store under their hash. */
    record Blob(String sha256, RawContent content) {
    }

    /**
     * Stores the blobs that are not stored yet with {@code COPY} ({@link BlobCopy}); contents are
     * streamed to the server as they are read, never buffered whole. Each hash at most once.
     */
    default void insertAll(Collection<Blob> blobs) {
        if (!blobs.isEmpty()) {
            BlobCopy.insertAll(getHandle(), blobs);
        }
    }

    /**
     * Stores the blobs that are not stored yet, in one batch of statements that skip stored ones
     * (one round trip): what {@link BlobCopy} falls back to when another transaction stored some
     * of the same bytes meanwhile.
     */
    default void insertEach(Collection<Blob> blobs) {
        if (blobs.isEmpty()) {
            return;
        }
        List<InputStream> opened = new ArrayList<>();
        try {
            PreparedBatch batch = getHandle().prepareBatch(INSERT);
            for (Blob blob : blobs) {
                InputStream in = blob.content().open();
                opened.add(in);
                long size = blob.content().size();
                Argument stream = (position, statement, context) -> statement.setBinaryStream(position, in, size);
                batch.bind("sha256", blob.sha256()).bind("size", size).bind("content", stream).add();
            }
            batch.execute();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read content to store it: " + e.getMessage(), e);
        } finally {
            opened.forEach(BlobDao::closeQuietly);
        }
    }

    @SqlQuery("SELECT content FROM blobs WHERE sha256 = :sha256")
    Optional<byte[]> content(@Bind("sha256") String sha256);

    /** The size of the stored bytes (read from the TOAST pointer, not the bytes); empty when there is no such blob. */
    @SqlQuery("SELECT octet_length(content) FROM blobs WHERE sha256 = :sha256")
    Optional<Long> storedSize(@Bind("sha256") String sha256);

    /**
     * {@code length} bytes from {@code from} (0-based); shorter at the end. Blobs are stored
     * uncompressed (V4), so PostgreSQL reads only the TOAST chunks of the slice.
     */
    @SqlQuery("SELECT substring(content FROM CAST(:from AS int) + 1 FOR :length) FROM blobs WHERE sha256 = :sha256")
    Optional<byte[]> slice(@Bind("sha256") String sha256, @Bind("from") long from, @Bind("length") int length);

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // read to the end already; nothing to release
        }
    }
}
