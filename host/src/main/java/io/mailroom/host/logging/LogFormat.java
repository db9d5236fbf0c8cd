package io.mailroom.host.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Switches the log lines between text (logback.xml's pattern) and JSON ({@link JsonLineEncoder})
 * once the configuration ({@code mailroom.log.format}) is read: logback configures itself from
 * logback.xml before any Mailroom code runs, and picking an encoder there by a setting would need
 * janino or a second configuration file. The appenders stay the same (standard error): only their
 * encoder changes, and switching back to text restores the encoder logback.xml gave.
 */
public final class LogFormat {

    public static final String TEXT = "text";
    public static final String JSON = "json";

    /** The encoder each appender had from logback.xml, while it writes JSON. */
    private static final Map<OutputStreamAppender<ILoggingEvent>, Encoder<ILoggingEvent>> TEXT_ENCODERS =
            new ConcurrentHashMap<>();

    private LogFormat() {
    }

    /** Makes the root logger's appenders write {@code format} ({@value #TEXT} or {@value #JSON}). */
    public static synchronized void use(String format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend keeps its own configuration
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                switchEncoder(appender, format, context);
            }
        }
    }

    private static void switchEncoder(OutputStreamAppender<ILoggingEvent> appender, String format,
                                      LoggerContext context) {
        boolean json = appender.getEncoder() instanceof JsonLineEncoder;
        if (format.equals(JSON) == json) {
            return;
        }
        Encoder<ILoggingEvent> next;
        if (format.equals(JSON)) {
            TEXT_ENCODERS.put(appender, appender.getEncoder());
            JsonLineEncoder encoder = new JsonLineEncoder();
            encoder.setContext(context);
            encoder.start();
            next = encoder;
        } else {
            next = TEXT_ENCODERS.remove(appender);
            if (next == null) {
                return;
            }
        }
        // at start-up, before the work begins: a line logged meanwhile is whole, in one format or the other
        appender.setEncoder(next);
    }
}
