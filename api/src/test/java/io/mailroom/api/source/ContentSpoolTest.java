package io.mailroom.api.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentSpoolTest {

    @TempDir
    Path dir;

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    private static byte[] read(RawContent content) throws IOException {
        try (InputStream in = content.open()) {
            return in.readAllBytes();
        }
    }

    private long files() throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void a_small_message_stays_in_memory_and_a_large_one_moves_to_a_file_as_its_bytes_outgrow_the_limit() throws IOException {
        ContentSpool spool = new ContentSpool(dir, 1000);

        RawContent small;
        try (ContentSpool.Writer writer = spool.writer(-1, Long.MAX_VALUE)) {
            writer.write(bytes(1000));
            small = writer.content();
        }
        RawContent large;
        try (ContentSpool.Writer writer = spool.writer(10, Long.MAX_VALUE)) {
            writer.write(bytes(600));
            writer.write(bytes(600));
            large = writer.content();
        }

        assertThat(small.file()).isEmpty();
        assertThat(read(small)).isEqualTo(bytes(1000));
        assertThat(large.file()).isPresent();
        assertThat(large.file().orElseThrow().getParent()).isEqualTo(dir);
        byte[] expected = new byte[1200];
        System.arraycopy(bytes(600), 0, expected, 0, 600);
        System.arraycopy(bytes(600), 0, expected, 600, 600);
        assertThat(large.size()).isEqualTo(1200);
        assertThat(read(large)).isEqualTo(expected).as("readable more than once").isEqualTo(read(large));
    }

    @Test
    void a_message_announced_large_goes_to_a_file_at_once_and_the_announcement_decides_nothing_else() throws IOException {
        ContentSpool spool = new ContentSpool(dir, 1000);
        try (ContentSpool.Writer writer = spool.writer(5000, Long.MAX_VALUE)) {
            assertThat(files()).isEqualTo(1);
            writer.write(bytes(10));
            RawContent content = writer.content();
            assertThat(content.size()).isEqualTo(10);
            assertThat(read(content)).isEqualTo(bytes(10));
        }
    }

    @Test
    void bytes_past_the_read_limit_are_dropped_so_the_size_says_the_message_is_too_big() throws IOException {
        ContentSpool spool = new ContentSpool(dir, 100);
        try (ContentSpool.Writer writer = spool.writer(-1, 251)) {
            for (int i = 0; i < 10; i++) {
                writer.write(bytes(100));
            }
            RawContent content = writer.content();
            assertThat(content.size()).isEqualTo(251);
            assertThat(read(content)).hasSize(251);
        }
    }

    @Test
    void the_host_releasing_content_deletes_its_file_and_a_writer_closed_without_content_leaves_none() throws IOException {
        ContentSpool spool = new ContentSpool(dir, 10);
        RawContent content;
        try (ContentSpool.Writer writer = spool.writer(-1, Long.MAX_VALUE)) {
            writer.write(bytes(100));
            content = writer.content();
        }
        assertThat(files()).isEqualTo(1);

        content.release();
        content.release();

        assertThat(files()).isZero();
        assertThatThrownBy(() -> read(content)).isInstanceOf(IOException.class);

        try (ContentSpool.Writer vanished = spool.writer(-1, Long.MAX_VALUE)) {
            vanished.write(bytes(100));
        }
        assertThat(files()).isZero();
    }

    @Test
    void a_25_mb_message_is_spooled_without_sitting_whole_in_the_heap() throws Exception {
        ContentSpool spool = new ContentSpool(dir, ContentSpool.DEFAULT_MEMORY_LIMIT);
        byte[] chunk = bytes(64 * 1024);
        MessageDigest written = MessageDigest.getInstance("SHA-256");

        RawContent content;
        try (ContentSpool.Writer writer = spool.writer(-1, Long.MAX_VALUE)) {
            for (int i = 1; i <= 400; i++) {
                writer.write(chunk);
                written.update(chunk);
                if (writer.size() > ContentSpool.DEFAULT_MEMORY_LIMIT) {
                    // past the limit the bytes are in the file, all but a copy buffer's worth
                    Path file;
                    try (Stream<Path> files = Files.list(dir)) {
                        file = files.findFirst().orElseThrow();
                    }
                    assertThat(Files.size(file)).as("after %d chunks", i).isGreaterThanOrEqualTo(writer.size() - (64 << 10));
                }
            }
            content = writer.content();
        }

        assertThat(content.size()).isEqualTo(400L * chunk.length);
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (InputStream in = content.open()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.update(buffer, 0, n);
            }
        }
        assertThat(read.digest()).isEqualTo(written.digest());
        content.release();
    }

    @Test
    void content_taken_once_cannot_be_written_to_again() throws IOException {
        ContentSpool.Writer writer = new ContentSpool(dir, 10).writer(-1, Long.MAX_VALUE);
        writer.write(bytes(5));
        writer.content();
        assertThatThrownBy(() -> writer.write(bytes(1))).isInstanceOf(IOException.class);
        assertThatThrownBy(writer::content).isInstanceOf(IOException.class);
    }
}
