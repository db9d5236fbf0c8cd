package io.mailroom.host.messages;

import io.mailroom.host.mime.MessageParser;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Sends an attachment read again from its raw message ({@link MessageParser#copyAttachment}) as
 * it is decoded, and makes sure the client never takes other bytes for it: the last byte is held
 * back until the size and SHA-256 of what was decoded match the attachment's row. They match
 * unless the parser's rules changed since the message was stored; then the download ends one
 * byte short of its Content-Length, which a client sees as a broken download, not a wrong file.
 */
final class AttachmentCopy {

    /** Why an attachment could not be read from its raw message; nothing was sent. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason);
        }
    }

    /** Why the bytes decoded differ from the stored size or hash; all but the last byte may have been sent. */
    static final class Mismatch extends IOException {
        Mismatch(String reason) {
            super(reason);
        }
    }

    private AttachmentCopy() {
    }

    /**
     * Writes the attachment at {@code part} of {@code raw} to the stream {@code out} gives, opened
     * only once the part is found.
     *
     * @throws Unreadable when there is no such part (nothing was written)
     * @throws Mismatch   when the decoded bytes are not the stored ones, or stopped short (the last
     *                    byte was not written)
     */
    static void copy(MessageParser parser, InputStream raw, StoredAttachment attachment, Opener out)
            throws IOException, Unreadable {
        HoldingLastByte held = new HoldingLastByte(out, attachment.size());
        Optional<MessageParser.CopiedAttachment> copied = parser.copyAttachment(raw, attachment.part(), held);
        if (copied.isEmpty() && held.written > 0) {
            throw new Mismatch("part " + attachment.part() + " stopped after " + held.written + " bytes (parse budget)");
        }
        if (copied.isEmpty()) {
            throw new Unreadable("no attachment at part " + attachment.part() + " of the raw message");
        }
        if (copied.get().size() != attachment.size() || !copied.get().sha256().equals(attachment.sha256())) {
            throw new Mismatch("part " + attachment.part() + " decodes to " + copied.get().size() + " bytes, hash "
                    + copied.get().sha256() + "; stored: " + attachment.size() + " bytes, hash " + attachment.sha256());
        }
        held.release();
    }

    /** Opens the destination; called at the first byte, so that a part not found leaves the response untouched. */
    interface Opener {
        OutputStream open() throws IOException;
    }

    /** Passes bytes on up to one short of the expected size, keeps the last, drops any beyond. */
    private static final class HoldingLastByte extends FilterOutputStream {
        private final Opener opener;
        private final long expected;
        private long written;
        private int last = -1;

        HoldingLastByte(Opener opener, long expected) {
            super(null);
            this.opener = opener;
            this.expected = expected;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long pass = Math.max(0, Math.min(len, expected - 1 - written));
            if (pass > 0) {
                target().write(b, off, (int) pass);
            }
            if (written + len >= expected && written < expected && expected > 0) {
                last = b[off + (int) (expected - 1 - written)] & 0xff;
            }
            written += len;
        }

        private OutputStream target() throws IOException {
            if (out == null) {
                out = opener.open();
            }
            return out;
        }

        void release() throws IOException {
            if (last >= 0) {
                target().write(last);
            }
            if (out != null) {
                out.flush();
            }
        }
    }
}
