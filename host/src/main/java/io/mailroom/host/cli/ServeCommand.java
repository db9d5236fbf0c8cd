package io.mailroom.host.cli;

import io.mailroom.host.Mailroom;
import io.mailroom.host.config.MailroomConfig;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code mailroom serve}: the HTTP API and everything behind it, until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Starts the HTTP API with the plugins; stops on SIGTERM or Ctrl-C.")
final class ServeCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        Mailroom mailroom = Mailroom.start(MailroomConfig.load(), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mailroom.close();
            stopped.countDown();
        }, "mailroom-shutdown"));
        stopped.await();
        return 0;
    }
}
