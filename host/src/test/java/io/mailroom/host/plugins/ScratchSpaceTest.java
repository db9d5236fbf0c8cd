package io.mailroom.host.plugins;

import io.mailroom.api.source.RawContent;
import io.mailroom.api.source.ContentSpool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ScratchSpaceTest {

    @TempDir
    Path data;

    @Test
    void what_a_dead_process_left_is_deleted_at_start_and_a_live_ones_space_is_kept() throws IOException {
        // a crashed run: a pid no process has (pids are far below this), and a live pid with another start time
        Path crashed = Files.createDirectories(data.resolve("scratch/4194999999-1/spool"));
        Files.writeString(crashed.resolve("mailroom-spool-1.eml"), "left behind");
        Path reused = Files.createDirectories(data.resolve("scratch/" + ProcessHandle.current().pid() + "-1"));

        ScratchSpace first = ScratchSpace.open(data);
        Path spooled = spoolLarge(first.spool());
        ScratchSpace second = ScratchSpace.open(data);

        assertThat(data.resolve("scratch/4194999999-1")).doesNotExist();
        assertThat(reused).as("the same pid, started at another time: a process before a restart").doesNotExist();
        assertThat(spooled).as("this process's space survives another opening in it").exists();
        assertThat(spooled.getParent().getParent().getParent()).isEqualTo(data.resolve("scratch"));
        assertThat(second.pluginDirectory("imap-basic")).isDirectory()
                .isEqualTo(spooled.getParent().getParent().resolve("plugins/imap-basic"));
    }

    private static Path spoolLarge(ContentSpool spool) throws IOException {
        try (ContentSpool.Writer writer = spool.writer(ContentSpool.DEFAULT_MEMORY_LIMIT + 1, Long.MAX_VALUE)) {
            writer.write(new byte[10]);
            RawContent content = writer.content();
            return content.file().orElseThrow();
        }
    }
}
