package io.mailroom.host.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small property-based fuzzing harness: a property is checked against values generated from a
 * seeded random source, a bounded number of tries and a bounded time, so it fits in CI; the same
 * properties run longer with system properties. No library: jqwik, the usual choice, asks not to
 * be used by AI coding agents from 1.10 on, and prints an instruction to them into every test log.
 *
 * <ul>
 *   <li>{@code -Dmailroom.fuzz.tries=N} tries per property (each property has its CI default);</li>
 *   <li>{@code -Dmailroom.fuzz.seconds=S} the time one property may take (default 10 s): it stops
 *       early, after the tries it has done, on a slow machine;</li>
 *   <li>{@code -Dmailroom.fuzz.seed=SEED} the seed (default: random, printed);</li>
 *   <li>{@code -Dmailroom.fuzz.try=I} with the seed: runs that one try again.</li>
 * </ul>
 * A failure names the property, the seed and the try, and writes the failing value to
 * {@code target/fuzz-failures/} when it is bytes or text.
 */
public final class Fuzzing {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Fuzzing() {
    }

    /** What one property run did. */
    public record Run(String property, long seed, int tries, int wanted, Duration took) {
        @Override
        public String toString() {
            return "fuzz " + property + ": " + tries + " of " + wanted + " tries in " + took.toMillis() + " ms, seed " + seed;
        }
    }

    /**
     * Checks {@code property} on values of {@code generator}; each try within {@code perTry} of wall time.
     *
     * @param ciTries the tries when {@code mailroom.fuzz.tries} is not set
     */
    public static <T> Run forAll(String property, int ciTries, Duration perTry, Function<SplittableRandom, T> generator,
                                 Consumer<T> check) {
        long seed = Long.getLong("mailroom.fuzz.seed", new SplittableRandom().nextLong());
        int wanted = Integer.getInteger("mailroom.fuzz.tries", ciTries);
        Integer only = Integer.getInteger("mailroom.fuzz.try");
        long budget = Duration.ofSeconds(Long.getLong("mailroom.fuzz.seconds", 10)).toNanos();
        long start = System.nanoTime();
        int done = 0;
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "fuzz-" + property);
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int i = only == null ? 0 : only; i < (only == null ? wanted : only + 1); i++) {
                if (only == null && i > 0 && System.nanoTime() - start > budget) {
                    break;
                }
                T value = generator.apply(new SplittableRandom(seed + GOLDEN * i));
                Future<?> attempt = runner.submit(() -> check.accept(value));
                try {
                    attempt.get(perTry.toNanos(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException failed) {
                    throw failure(property, seed, i, value, failed.getCause());
                } catch (TimeoutException stuck) {
                    attempt.cancel(true);
                    throw failure(property, seed, i, value, new AssertionError("did not end within " + perTry));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                done++;
            }
        } finally {
            runner.shutdownNow();
        }
        Run run = new Run(property, seed, done, wanted, Duration.ofNanos(System.nanoTime() - start));
        System.out.println(run);
        return run;
    }

    private static AssertionError failure(String property, long seed, int i, Object value, Throwable cause) {
        String saved = save(property, seed, i, value);
        return new AssertionError("property \"" + property + "\" failed at try " + i + " of seed " + seed
                + " (again: -Dmailroom.fuzz.seed=" + seed + " -Dmailroom.fuzz.try=" + i + ")" + saved + ": " + cause, cause);
    }

    private static String save(String property, long seed, int i, Object value) {
        byte[] bytes = value instanceof byte[] b ? b : value instanceof CharSequence text
                ? text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
        if (bytes == null) {
            return value == null ? "" : "; value: " + abbreviate(String.valueOf(value));
        }
        try {
            Path file = Path.of("target", "fuzz-failures", property.replaceAll("[^A-Za-z0-9]+", "-") + "-" + seed + "-" + i);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            return "; value in " + file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "…";
    }
}
