package io.mailroom.host.store;

import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.io.InputStream;
import java.util.Optional;

/** Raw messages and attachment contents by SHA-256; the same bytes are stored once. */
public interface BlobDao extends SqlObject {

    /** Stores the bytes unless they are stored already; the stream is sent as it is read, not buffered. */
    default void insert(String sha256, long size, InputStream content) {
        Argument stream = (position, statement, context) -> statement.setBinaryStream(position, content, size);
        getHandle().createUpdate("INSERT INTO blobs (sha256, size, content) VALUES (:sha256, :size, :content) "
                        + "ON CONFLICT DO NOTHING")
                .bind("sha256", sha256).bind("size", size).bind("content", stream)
                .execute();
    }

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = :sha256)")
    boolean exists(@Bind("sha256") String sha256);

    @SqlQuery("SELECT content FROM blobs WHERE sha256 = :sha256")
    Optional<byte[]> content(@Bind("sha256") String sha256);
}
