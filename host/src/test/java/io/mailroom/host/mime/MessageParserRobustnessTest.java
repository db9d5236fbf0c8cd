package io.mailroom.host.mime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Truncated and mutated variants of every sample: each must parse or be rejected as unparseable,
 * never fail in another way (a parser bug would quarantine mail that should have been read).
 */
class MessageParserRobustnessTest {

    /** Raise for a longer hunt: {@code -Dmime.robustness.variants=50000 -Dmime.robustness.seed=7}. */
    private static final int VARIANTS = Integer.getInteger("mime.robustness.variants", 600);
    private static final long SEED = Long.getLong("mime.robustness.seed", 20250203L);
    private static final byte[] NASTY = "\0\r\n-=?:;<>\"\\ \t\u00ff\u0080=?utf-8?q?=ZZ--boundary".getBytes(
            java.nio.charset.StandardCharsets.ISO_8859_1);

    @Test
    void mutated_and_truncated_messages_either_parse_or_are_unparseable() throws Exception {
        Random random = new Random(SEED);
        MessageParser parser = new MessageParser(2048);
        List<byte[]> samples = Samples.ALL.stream().map(Samples::bytes).toList();
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (int i = 0; i < VARIANTS; i++) {
            byte[] variant = mutate(samples.get(random.nextInt(samples.size())), random);
            try (ParsedMessage message = parser.parse(new ByteArrayInputStream(variant))) {
                assertThat(message.text()).isNotNull();
                assertThat(message.subject()).isNotNull();
                parsed++;
            } catch (UnparseableMessageException e) {
                if (e.reason().startsWith("the parser failed")) {
                    failures.add("variant " + i + ": " + e.reason());
                }
            } catch (Throwable t) {
                failures.add("variant " + i + ": " + t);
            }
        }
        assertThat(failures).as("seed " + SEED).isEmpty();
        assertThat(parsed).as("most variants are still mail").isGreaterThan(VARIANTS * 8 / 10);
    }

    private static byte[] mutate(byte[] sample, Random random) {
        byte[] bytes = sample.clone();
        int kind = random.nextInt(5);
        switch (kind) {
            case 0 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)); // truncate
            case 1 -> { // flip bytes
                for (int n = 1 + random.nextInt(20); n > 0; n--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> { // insert nasty fragments
                for (int n = 1 + random.nextInt(10); n > 0; n--) {
                    int at = random.nextInt(bytes.length);
                    int from = random.nextInt(NASTY.length);
                    int length = 1 + random.nextInt(NASTY.length - from);
                    byte[] grown = new byte[bytes.length + length];
                    System.arraycopy(bytes, 0, grown, 0, at);
                    System.arraycopy(NASTY, from, grown, at, length);
                    System.arraycopy(bytes, at, grown, at + length, bytes.length - at);
                    bytes = grown;
                }
            }
            case 3 -> { // cut a chunk out
                int from = random.nextInt(bytes.length);
                int to = Math.min(bytes.length, from + random.nextInt(200));
                byte[] shorter = new byte[bytes.length - (to - from)];
                System.arraycopy(bytes, 0, shorter, 0, from);
                System.arraycopy(bytes, to, shorter, from, bytes.length - to);
                bytes = shorter;
            }
            default -> { // duplicate a chunk
                int from = random.nextInt(bytes.length);
                int length = Math.min(bytes.length - from, random.nextInt(300));
                byte[] longer = new byte[bytes.length + length];
                System.arraycopy(bytes, 0, longer, 0, from + length);
                System.arraycopy(bytes, from, longer, from + length, bytes.length - from);
                bytes = longer;
            }
        }
        return bytes;
    }
}
