package io.mailroom.host.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Commands other than {@code serve} print a result an operator reads (or a script parses): the
 * plugin loader's start-up chatter (PF4J's version, each plugin found and started) is noise
 * around it, so those loggers drop to WARN there. Problems with a plugin still show.
 */
final class QuietLoaders {

    /** PF4J itself and Mailroom's plugin host. */
    static final List<String> LOGGERS = List.of("org.pf4j", "io.mailroom.host.plugins");

    private QuietLoaders() {
    }

    static void apply() {
        for (String name : LOGGERS) {
            Logger logger = LoggerFactory.getLogger(name);
            // Only with Logback (the launcher's); another SLF4J backend keeps its own configuration.
            if (logger instanceof ch.qos.logback.classic.Logger logback) {
                logback.setLevel(Level.WARN);
            }
        }
    }
}
