package org.ncf4j.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefCountedTest {
    @Test
    void closesOnceWhenTheLastHandleIsReleased() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        RefCounted<String> r = new RefCounted<>("model", closed::incrementAndGet);
        RefCounted<String>.Handle call = r.tryAcquire();
        assertNotNull(call);
        r.owner().close();
        assertEquals(0, closed.get(), "a call still holds it");
        assertEquals("model", call.get());
        call.close();
        assertEquals(1, closed.get());
        assertTrue(r.awaitClosed(1, TimeUnit.SECONDS));
    }

    @Test
    void releasingAHandleTwiceReleasesItOnce() {
        AtomicInteger closed = new AtomicInteger();
        RefCounted<String> r = new RefCounted<>("model", closed::incrementAndGet);
        RefCounted<String>.Handle a = r.tryAcquire();
        RefCounted<String>.Handle b = r.tryAcquire();
        a.close();
        a.close();
        a.close();
        r.owner().close();
        r.owner().close();
        assertEquals(0, closed.get(), "b is still held: repeated releases must not count");
        assertEquals(1, r.holders(), "only b");
        b.close();
        assertEquals(1, closed.get());
        assertThrows(IllegalStateException.class, a::get);
    }

    @Test
    void noHandleIsHandedOutOnceClosed() {
        RefCounted<String> r = new RefCounted<>("model", () -> { });
        r.owner().close();
        assertTrue(r.isClosed());
        assertNull(r.tryAcquire());

    }
}
