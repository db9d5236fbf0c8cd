package io.mailroom.host.mime;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.stream.Event;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

import java.nio.charset.Charset;

/**
 * mime4j's streaming parser, set up the one way Mailroom uses it: lenient (no malformed header or
 * missing end boundary fails a message), attached messages kept as bodies (the walker reads them
 * as attachments), and mime4j's limits set just above the walker's own. mime4j fails a message at
 * its limits; the walker cuts before they are reached ({@link HeaderLimits} for the message's
 * header section, {@link MimeTreeWalker#MAX_PARTS} for parts), and a limit hit inside a body part
 * ends the walk with what was read so far.
 */
final class MimeStreams {

    private MimeStreams() {
    }

    /** Header fields of all parts of one message together: real mail has a few dozen per part. */
    static final int MAX_TOTAL_HEADER_FIELDS = 100_000;
    /** Header bytes of all parts together; mime4j's default (1 MB) would fail a message with a 1 MB header line. */
    static final long MAX_TOTAL_HEADER_BYTES = 4L * HeaderLimits.MAX_BYTES;

    static final MimeConfig CONFIG = new MimeConfig.Builder()
            .setStrictParsing(false)
            .setMalformedHeaderStartsBody(false)
            .setMaxLineLen(HeaderLimits.MAX_BYTES + 2)
            .setMaxHeaderCount(HeaderLimits.MAX_LINES + 1)
            .setMaxHeaderLen(HeaderLimits.MAX_BYTES + 2)
            .setMaxContentLen(MessageParser.MAX_DECODED_BYTES)
            .setMaxTotalHeaderCount(MAX_TOTAL_HEADER_FIELDS)
            .setMaxTotalHeaderLen(MAX_TOTAL_HEADER_BYTES)
            .setMaxPartCount(MimeTreeWalker.MAX_PARTS + 1)
            .setMaxNestingDepth(MimeTreeWalker.MAX_DEPTH + 2)
            .build();

    /** A token stream whose entities are described by {@link PartHeaders}. */
    static MimeTokenStream create(String defaultType, Charset parentCharset, int depth) {
        InvalidHeaders invalid = new InvalidHeaders();
        MimeTokenStream stream = new MimeTokenStream(CONFIG, invalid,
                new PartHeaders.Builder(defaultType, parentCharset, depth, invalid));
        stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
        return stream;
    }

    /**
     * Silent like {@link DecodeMonitor#SILENT}, but counts the header lines mime4j skipped as not
     * being fields: bytes that are mostly such lines are not a message.
     */
    static final class InvalidHeaders extends DecodeMonitor {

        private static final String INVALID = Event.INVALID_HEADER.toString();
        private int count;

        int count() {
            return count;
        }

        @Override
        public boolean warn(String message, String dropped) {
            if (message != null && message.endsWith(INVALID)) {
                count++;
            }
            return false;
        }

        @Override
        public boolean isListening() {
            return true;
        }
    }
}
