package io.mailroom.host.cli;

import io.mailroom.host.auth.AdminBootstrap;
import io.mailroom.host.auth.User;
import io.mailroom.host.auth.Users;
import io.mailroom.host.config.MailroomConfig;
import io.mailroom.host.store.Database;
import io.mailroom.host.auth.UserDao;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code mailroom token create}: a new API token, printed once. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manages API tokens.",
        subcommands = TokenCommand.Create.class)
final class TokenCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a token for a user, or for the superadmin, and prints it once.")
    static final class Create implements Callable<Integer> {

        @ArgGroup(multiplicity = "1")
        Whom whom;

        @Option(names = "--name", description = "A name to recognise the token by.", defaultValue = "cli")
        String name;

        @Spec
        CommandSpec spec;

        static final class Whom {
            @Option(names = "--user", paramLabel = "ID", description = "The user's id.")
            Long userId;

            @Option(names = "--superadmin", description = "The first superadmin (created when there is none).")
            boolean superadmin;
        }

        @Override
        public Integer call() {
            try (Database database = Database.open(MailroomConfig.load())) {
                PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
                if (whom.superadmin) {
                    new AdminBootstrap(database.jdbi()).run(Optional.empty(), quiet);
                }
                Optional<User> user = whom.superadmin
                        ? database.jdbi().onDemand(UserDao.class).firstSuperadmin()
                        : database.jdbi().onDemand(UserDao.class).find(whom.userId);
                if (user.isEmpty()) {
                    spec.commandLine().getErr().println("No user with id " + whom.userId);
                    return 1;
                }
                spec.commandLine().getOut().println(new Users(database.jdbi()).issueToken(user.get().id(), name));
                return 0;
            }
        }
    }
}
