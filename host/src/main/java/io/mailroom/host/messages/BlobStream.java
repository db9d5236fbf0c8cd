package io.mailroom.host.messages;

import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a stored blob a slice at a time, one short query per slice, so that a 25 MB message or
 * attachment is never whole in the heap (PgJDBC reads a {@code bytea} value whole). Blobs never
 * change once written (they are named by their hash), so the slices need no common transaction.
 */
public final class BlobStream extends InputStream {

    static final int SLICE = 1024 * 1024;

    private final Jdbi jdbi;
    private final String sha256;
    private final long size;
    private byte[] slice = new byte[0];
    private int position;
    private long next;

    private BlobStream(Jdbi jdbi, String sha256, long size) {
        this.jdbi = jdbi;
        this.sha256 = sha256;
        this.size = size;
    }

    /** The blob's bytes, or null when there is no such blob. */
    public static BlobStream open(Jdbi jdbi, String sha256) {
        Long size = jdbi.withExtension(BlobDao.class, blobs -> blobs.storedSize(sha256).orElse(null));
        return size == null ? null : new BlobStream(jdbi, sha256, size);
    }

    /** How many bytes the stream holds in all. */
    public long size() {
        return size;
    }

    @Override
    public int read() throws IOException {
        return fill() ? slice[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, slice.length - position);
        System.arraycopy(slice, position, b, off, n);
        position += n;
        return n;
    }

    private boolean fill() throws IOException {
        if (position < slice.length) {
            return true;
        }
        if (next >= size) {
            return false;
        }
        long from = next;
        int length = (int) Math.min(SLICE, size - from);
        try {
            slice = jdbi.withExtension(BlobDao.class, blobs -> blobs.slice(sha256, from, length)).orElse(new byte[0]);
        } catch (RuntimeException e) {
            throw new IOException("cannot read stored bytes " + sha256 + ": " + e.getMessage(), e);
        }
        if (slice.length == 0) {
            throw new IOException("stored bytes " + sha256 + " end at " + from + " of " + size);
        }
        position = 0;
        next = from + slice.length;
        return true;
    }
}
