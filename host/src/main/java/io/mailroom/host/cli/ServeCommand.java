package io.mailroom.host.cli;

import io.mailroom.host.Mailroom;
import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.demo.DemoMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code mailroom serve}: the HTTP API and everything behind it, until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Starts the HTTP API with the plugins; stops on SIGTERM or Ctrl-C.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--demo", description = "Runs a demo: an embedded mail server with sample mail, and Mailroom set up"
            + " on it, on a database of its own in a demo data directory (<data dir>-demo, emptied at each demo start);"
            + " the real data and a configured database are not touched. Prints the admin URL with a sign-in token.")
    boolean demo;

    @Override
    public Integer call() throws InterruptedException {
        MailroomConfig config = MailroomConfig.load();
        AutoCloseable running = demo ? DemoMode.start(config, System.out) : Mailroom.start(config, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close(running);
            stopped.countDown();
        }, "mailroom-shutdown"));
        stopped.await();
        return 0;
    }

    private static void close(AutoCloseable running) {
        try {
            running.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
