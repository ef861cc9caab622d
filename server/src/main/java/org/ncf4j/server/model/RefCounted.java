package org.ncf4j.server.model;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resource shared by its owner and the calls using it, closed when the last {@link Handle} is released: a model
 * version swapped out of the repository stays open until its in-flight calls and model runs end. Every holder has
 * its own handle, and releasing a handle twice releases it once, so no holder can close the resource under another.
 *
 * @param <T> the resource
 */
public final class RefCounted<T> {
    private final T value;
    private final Runnable onLastRelease;
    /** Open handles; 0 once closed, after which no handle is handed out. */
    private final AtomicInteger count = new AtomicInteger(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Handle owner;

    /**
     * @param value the resource
     * @param onLastRelease closes it; runs once, in the thread that releases the last handle
     */
    public RefCounted(T value, Runnable onLastRelease) {
        this.value = value;
        this.onLastRelease = onLastRelease;
        this.owner = new Handle();
    }

    /** The owner's handle, open from the start; releasing it lets the resource close once the others are done. */
    public Handle owner() {
        return owner;
    }

    /** A new handle, or null when the resource has already closed. */
    public Handle tryAcquire() {
        while (true) {
            int n = count.get();
            if (n == 0) {
                return null;
            }
            if (count.compareAndSet(n, n + 1)) {
                return new Handle();
            }
        }
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Waits until the resource has closed; false when the time ran out first. */
    public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        return closed.await(timeout, unit);
    }

    /** Open handles, the owner's included. */
    int holders() {
        return count.get();
    }

    private void release() {
        if (count.decrementAndGet() == 0) {
            try {
                onLastRelease.run();
            } finally {
                closed.countDown();
            }
        }
    }

    /** One holder's reference. */
    public final class Handle implements AutoCloseable {
        private final AtomicBoolean released = new AtomicBoolean();

        private Handle() {
        }

        public T get() {
            if (released.get()) {
                throw new IllegalStateException("handle already released");
            }
            return value;
        }

        /** Releases this handle; a second call does nothing. */
        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release();
            }
        }
    }
}
