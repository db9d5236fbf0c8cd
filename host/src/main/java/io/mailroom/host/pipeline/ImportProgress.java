package io.mailroom.host.pipeline;

/**
 * How far a running sync got, after each committed batch: messages looked at ({@code found}),
 * stored, and how many the run means to read ({@code total}, exact for the folders opened so
 * far, the folder listing's estimate for the others).
 */
public record ImportProgress(long found, long stored, long total) {

    /** Whoever watches a run, told after each committed batch on the syncing thread. */
    @FunctionalInterface
    public interface Listener {

        Listener NONE = progress -> { };

        void progressed(ImportProgress progress);
    }
}
