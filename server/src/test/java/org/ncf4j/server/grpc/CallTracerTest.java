package org.ncf4j.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status.Code;
import org.junit.jupiter.api.Test;

class CallTracerTest {
    @Test
    void theTimeoutComesFromItsHeader() {
        assertEquals(200_000_000L, CallTracer.timeout("200m"));
        assertEquals(199_972_000L, CallTracer.timeout("199972u"));
        assertEquals(7L, CallTracer.timeout("7n"));
        assertEquals(3_000_000_000L, CallTracer.timeout("3S"));
        assertEquals(120_000_000_000L, CallTracer.timeout("2M"));
        assertEquals(99_999_999L * 3_600_000_000_000L, CallTracer.timeout("99999999H"));
        for (String none : new String[] {null, "", "5", "12x", "abcm", "-5m", "1234567890m"}) {
            assertEquals(-1, CallTracer.timeout(none), "no timeout from " + none);
        }
    }

    @Test
    void aCallCancelledNearItsDeadlineIsCountedAsDeadlineExceeded() {
        long ms = 1_000_000L;
        assertEquals(Code.DEADLINE_EXCEEDED, CallTracer.counted(Code.CANCELLED, 195 * ms, 200 * ms));
        assertEquals(Code.DEADLINE_EXCEEDED, CallTracer.counted(Code.CANCELLED, 250 * ms, 200 * ms));
        assertEquals(Code.CANCELLED, CallTracer.counted(Code.CANCELLED, 100 * ms, 200 * ms), "cancelled early");
        assertEquals(Code.CANCELLED, CallTracer.counted(Code.CANCELLED, 900 * ms, -1), "no deadline");
        assertEquals(Code.OK, CallTracer.counted(Code.OK, 250 * ms, 200 * ms));
        assertEquals(Code.DEADLINE_EXCEEDED, CallTracer.counted(Code.DEADLINE_EXCEEDED, 200 * ms, 200 * ms));
    }

    @Test
    void ourMethodsAreLabelledByTheirShortName() {
        assertEquals("Score", CallTracer.label("ncf.v1.Recommender/Score"));
        assertEquals("ModelInfer", CallTracer.label("inference.GRPCInferenceService/ModelInfer"));
        assertEquals("grpc.health.v1.Health/Check", CallTracer.label("grpc.health.v1.Health/Check"));
    }
}
