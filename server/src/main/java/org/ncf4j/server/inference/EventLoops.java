package org.ncf4j.server.inference;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;

/** The Netty event loop of the current thread, when the current thread is one (a gRPC I/O thread). */
final class EventLoops {
    private EventLoops() {
    }

    /** The event loop running the current thread, or null on any other thread. */
    static EventExecutor current() {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        return loop != null && loop.inEventLoop() ? loop : null;
    }
}
