package org.ncf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.util.concurrent.Futures;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightTest {
    @Test
    void aCallRefusedForLoadIsMadeAgainAndAnswersStayInOrder() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        List<Integer> handled = new ArrayList<>();
        InFlight<Integer> f = new InFlight<>(2);
        f.submit(() -> tries.incrementAndGet() < 3
                ? Futures.immediateFailedFuture(Status.RESOURCE_EXHAUSTED.withDescription("full; retry later")
                        .asRuntimeException())
                : Futures.immediateFuture(1), handled::add);
        f.submit(() -> Futures.immediateFuture(2), handled::add);
        f.awaitAll();
        assertEquals(3, tries.get(), "refused twice, then answered");
        assertEquals(List.of(1, 2), handled);
    }

    @Test
    void otherFailuresAndRefusalsBeyondTheRetriesEndTheRun() {
        InFlight<Integer> f = new InFlight<>(1);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> {
            f.submit(() -> Futures.immediateFailedFuture(Status.INVALID_ARGUMENT.asRuntimeException()), x -> { });
            f.awaitAll();
        });
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        AtomicInteger tries = new AtomicInteger();
        InFlight<Integer> g = new InFlight<>(1);
        assertThrows(StatusRuntimeException.class, () -> {
            g.submit(() -> {
                tries.incrementAndGet();
                return Futures.immediateFailedFuture(Status.RESOURCE_EXHAUSTED.withDescription("busy; retry")
                        .asRuntimeException());
            }, x -> { });
            g.awaitAll();
        });
        assertEquals(InFlight.RETRIES + 1, tries.get());
    }
}
