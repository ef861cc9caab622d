package org.ncf4j.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Takes over the JVM's handling of stop signals: the first one wakes {@link #await}, which runs the server's own
 * stop sequence; a second one, while that runs, ends the process at once. One that comes while the server starts
 * (loading its models, which can take minutes for a large one, before any call is taken) ends it at once too.
 */
final class Signals {
    private final CountDownLatch received = new CountDownLatch(1);
    private final AtomicInteger first = new AtomicInteger();
    private volatile boolean started;

    private Signals() {
    }

    static Signals install(String... names) {
        Signals s = new Signals();
        for (String name : names) {
            Signal.handle(new Signal(name), sig -> s.received(sig.getNumber()));
        }
        return s;
    }

    /** The server has started: a stop signal now runs the stop sequence. */
    void started() {
        started = true;
    }

    private void received(int number) {
        if (!started) {
            System.err.println("ncf-server: stop signal while starting (loading models): exiting now");
            Runtime.getRuntime().halt(128 + number);
        }
        if (first.compareAndSet(0, number)) {
            received.countDown();
        } else {
            System.err.println("ncf-server: second stop signal, exiting now");
            Runtime.getRuntime().halt(128 + number);
        }
    }

    /** Blocks until a stop signal arrives; returns its number. */
    int await() {
        while (true) {
            try {
                received.await();
                return first.get();
            } catch (InterruptedException e) {
                // the main thread is only ever interrupted by mistake: keep waiting for the signal
            }
        }
    }
}
