package io.mailroom.host.pipeline;

import io.mailroom.api.source.RawMessage;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.messages.NewMessage;
import io.mailroom.host.messages.StoredAttachment;
import io.mailroom.host.messages.MessageDao;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a batch's parsed messages (their blobs are written already) with one statement per
 * table: threads placed for the whole batch ({@link ThreadBatch}), message rows under ids taken
 * beforehand so attachment rows can name them, attachment rows, and the new messages' places in
 * the processing queue (their chains run after the commit, see {@link ProcessingChain}).
 * A failure fails the whole batch; {@link BatchCommit} then writes it message by message.
 */
public final class StoreBatch {

    /** A parsed message to store; a {@code copy} has its bytes stored at another place already. */
    record Item(PreparedMessage message, boolean copy) {
    }

    private final IngestMessage ingest;
    private final ThreadBatch threads;

    public StoreBatch(IngestMessage ingest, ThreadBatch threads) {
        this.ingest = ingest;
        this.threads = threads;
    }

    void store(Handle handle, Mailbox mailbox, String folder, long validity, List<Item> items) {
        if (items.isEmpty()) {
            return;
        }
        long[] threadIds = threads.assign(handle, mailbox.id(), items.stream().map(item -> new ThreadBatch.Entry(
                ingest.threading(item.message().raw(), item.message().parsed()), item.message().hash(), item.copy()))
                .toList());
        MessageDao messages = handle.attach(MessageDao.class);
        List<Long> ids = messages.nextIds(items.size());
        List<NewMessage> rows = new ArrayList<>(items.size());
        List<StoredAttachment> attachments = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            PreparedMessage message = items.get(i).message();
            RawMessage raw = message.raw();
            ingest.warnIfCut(mailbox, folder, raw, message.parsed());
            rows.add(ingest.row(mailbox, folder, validity, raw, message.hash(), message.parsed(), threadIds[i]));
            attachments.addAll(IngestMessage.attachmentRows(ids.get(i), message.parsed().attachments()));
        }
        messages.insertAll(ids, rows);
        messages.insertAttachments(attachments);
        // one statement: the chain of each new message runs after the commit, never inside it
        handle.attach(ProcessingQueueDao.class).queueAll(mailbox.id(), ids.stream().mapToLong(Long::longValue).toArray());
    }
}
