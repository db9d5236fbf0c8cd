package io.mailroom.host.cli;

import io.mailroom.host.pipeline.ImportProgress;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;

/**
 * Prints how far a sync got after each committed batch: on a terminal a bar redrawn in place
 * ({@code \r}), elsewhere (a pipe, a log file, cron mail) one plain line per batch, which reads
 * well where a carriage return would not.
 */
final class ProgressPrinter implements ImportProgress.Listener {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final boolean terminal;
    private boolean drawn;

    ProgressPrinter(PrintWriter out, String label, boolean terminal) {
        this.out = out;
        this.label = label;
        this.terminal = terminal;
    }

    @Override
    public void progressed(ImportProgress progress) {
        if (terminal) {
            out.print("\r" + label + " " + bar(progress));
            out.flush();
            drawn = true;
        } else {
            out.printf("%s: %d/%d found, %d stored%n", label, progress.found(), progress.total(), progress.stored());
        }
    }

    /** Ends the bar's line, so what comes next starts on a line of its own. */
    void end() {
        if (drawn) {
            out.println();
            drawn = false;
        }
    }

    static String bar(ImportProgress progress) {
        long total = Math.max(progress.total(), progress.found());
        int filled = total == 0 ? WIDTH : (int) (progress.found() * WIDTH / total);
        int percent = total == 0 ? 100 : (int) (progress.found() * 100 / total);
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + percent + "% "
                + progress.found() + "/" + total + " found, " + progress.stored() + " stored";
    }

    /**
     * Whether standard output is a terminal. Before JDK 22, {@code System.console()} is null
     * when it is not; from JDK 22 on it is there even when output is redirected, and
     * {@code Console.isTerminal()} (not in the JDK 21 API we compile against) tells.
     */
    static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
