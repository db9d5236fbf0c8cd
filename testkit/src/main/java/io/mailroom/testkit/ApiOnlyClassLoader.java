package io.mailroom.testkit;

/**
 * A parent class loader that knows {@code io.mailroom.api} and the JDK, nothing else: what PF4J
 * gives a plugin. A plugin's packaging test loads its jar in a {@code URLClassLoader} over this
 * to prove the jar carries everything it needs.
 */
public final class ApiOnlyClassLoader extends ClassLoader {

    private final ClassLoader application;

    /** @param application the loader that has the API (the test's own) */
    public ApiOnlyClassLoader(ClassLoader application) {
        super("api-only", ClassLoader.getPlatformClassLoader());
        this.application = application;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith("io.mailroom.api.")) {
            return application.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }
}
