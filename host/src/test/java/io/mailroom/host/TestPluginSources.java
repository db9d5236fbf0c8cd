package io.mailroom.host;

/**
 * Java sources of small third-party plugins that host tests build into jars with the testkit's
 * {@code PluginJarBuilder}, written once for every test that needs them.
 */
public final class TestPluginSources {

    /** A third party's operator {@code length_is} (class {@code sample.ops.LengthIs}): the text has exactly the operand's number of characters. */
    public static final String LENGTH_IS = """
            package sample.ops;

            import io.mailroom.api.filter.FieldType;
            import io.mailroom.api.filter.FilterOperator;
            import io.mailroom.api.filter.FilterPredicate;
            import java.util.Set;

            public class LengthIs implements FilterOperator {
                @Override public String id() { return "length_is"; }
                @Override public Set<FieldType> types() { return Set.of(FieldType.TEXT); }
                @Override public FilterPredicate compile(FieldType type, Object operand) {
                    if (!(operand instanceof Integer n) || n < 0) throw new IllegalArgumentException("value must be a length");
                    return values -> values.stream().anyMatch(v -> ((String) v).length() == n);
                }
            }
            """;

    private TestPluginSources() {
    }

    /**
     * A mail source (class {@code sample.shelf.Source}) whose INBOX is the {@code <uid>.eml} files of
     * the directory named by the system property {@code <id>.dir}, UIDVALIDITY 3; it reads one
     * message by its key too.
     */
    public static String emlDirectorySource(String id) {
        return """
            package sample.shelf;

            import io.mailroom.api.ExtensionContext;
            import io.mailroom.api.source.*;
            import java.io.IOException;
            import java.io.UncheckedIOException;
            import java.nio.file.*;
            import java.util.*;

            public class Source implements MailSource {
                @Override public String id() { return "%s"; }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    Path dir = Path.of(System.getProperty("%s.dir"));
                    return new SourceConnection() {
                        @Override public List<String> capabilities() { return List.of(); }
                        @Override public List<FolderInfo> folders() { return List.of(new FolderInfo("INBOX", Set.of(), uids().size())); }
                        List<Long> uids() {
                            try (var files = Files.list(dir)) {
                                return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml"))
                                    .map(n -> Long.parseLong(n.substring(0, n.length() - 4))).sorted().toList();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                        RawMessage read(long uid) {
                            try {
                                return new RawMessage(Long.toString(uid), uid, null, Set.of(),
                                    RawContent.of(Files.readAllBytes(dir.resolve(uid + ".eml"))));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                        @Override public Optional<RawMessage> fetch(String folder, long validity, String key, long readLimit) {
                            if (validity != 3 || !Files.exists(dir.resolve(key + ".eml"))) {
                                return Optional.empty();
                            }
                            return Optional.of(read(Long.parseLong(key)));
                        }
                        @Override public FolderReader open(String folder, SyncCursor cursor, FetchOptions options) {
                            long from = cursor.validity() == 3 ? cursor.lastUid() : 0;
                            List<Long> all = uids();
                            long last = all.isEmpty() ? 0 : all.getLast();
                            return new FolderReader() {
                                boolean done;
                                @Override public SyncCursor serverCursor() { return new SyncCursor(3, last, 0); }
                                @Override public FolderBatch next(int maxMessages, long maxBytes) {
                                    List<RawMessage> batch = done ? List.of()
                                        : all.stream().filter(uid -> uid > from).map(uid -> read(uid)).toList();
                                    done = true;
                                    return new FolderBatch(batch, new SyncCursor(3, last, 0));
                                }
                                @Override public void close() { }
                            };
                        }
                        @Override public void apply(String folder, long validity, List<PostAction> actions) { }
                        @Override public void close() { }
                    };
                }
            }
            """.formatted(id, id);
    }
}
