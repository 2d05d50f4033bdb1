package dev.segments.dynamo;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/**
 * Quarkus' dev mode ({@code ./run-local.sh}) loads the application's classes again, in a new
 * class loader in the same JVM, when a source changes. The store's interceptor must start again
 * beside its earlier self: the SDK allows each execution attribute name once per JVM, and a
 * reload that fails leaves the local service without a store.
 */
class LiveReloadTest {

    @Test
    void theRequestCounterLoadsAgainInAFreshClassLoader() {
        new RequestCounter();
        assertDoesNotThrow(() -> Class.forName(RequestCounter.class.getName(), true, new Reloading()));
    }

    /** A class loader that defines the request counter anew, as dev mode does, and leaves the SDK to its parent. */
    private static final class Reloading extends ClassLoader {
        Reloading() {
            super(RequestCounter.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(RequestCounter.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] bytes = in.readAllBytes();
                        loaded = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return loaded;
            }
        }
    }
}
