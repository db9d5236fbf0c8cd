package io.mailroom.host;

import io.mailroom.host.cli.MailroomCommand;

/** The {@code mailroom} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(MailroomCommand.commandLine().execute(args));
    }
}
