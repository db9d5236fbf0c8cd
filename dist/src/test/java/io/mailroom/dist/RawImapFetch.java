package io.mailroom.dist;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's limit for a benchmark: one {@code UID FETCH 1:* BODY.PEEK[]} over a plain socket,
 * every literal read and thrown away. Returns the bytes received.
 */
final class RawImapFetch {

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");

    private RawImapFetch() {
    }

    static long fetchAll(String host, int port, String user, String password, String folder) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            OutputStream out = socket.getOutputStream();
            readLine(in);
            command(in, out, "a LOGIN " + user + " " + password);
            command(in, out, "b SELECT " + folder);
            return command(in, out, "c UID FETCH 1:* BODY.PEEK[]");
        }
    }

    /** Sends a command and reads until its tagged answer; returns the literal bytes seen. */
    private static long command(InputStream in, OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String tag = command.substring(0, command.indexOf(' ') + 1);
        long bytes = 0;
        while (true) {
            String line = readLine(in);
            Matcher literal = LITERAL.matcher(line);
            if (literal.find()) {
                long size = Long.parseLong(literal.group(1));
                in.skipNBytes(size);
                bytes += size;
                continue;
            }
            if (line.startsWith(tag)) {
                if (!line.startsWith(tag + "OK")) {
                    throw new IOException("server answered: " + line);
                }
                return bytes;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
