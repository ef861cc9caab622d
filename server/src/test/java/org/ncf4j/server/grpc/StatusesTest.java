package org.ncf4j.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.ncf4j.server.error.ServingError;
import org.ncf4j.server.error.ServingException;

class StatusesTest {
    @Test
    void servingErrorsKeepTheirMessageUnderTheirCode() {
        Status s = Statuses.of("Score", new CompletionException(ServingException.notFound("unknown user 'x'")));
        assertEquals(Status.Code.NOT_FOUND, s.getCode());
        assertEquals("unknown user 'x'", s.getDescription());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, Statuses.of("Score", new ServingException(
                ServingError.OVERLOADED, "queue is full")).getCode());
    }

    @Test
    void anyOtherFailureIsInternalWithoutJavaText() {
        Status s = Statuses.of("Recommend", new NullPointerException("Cannot invoke \"java.util.List.size()\""));
        assertEquals(Status.Code.INTERNAL, s.getCode());
        assertFalse(s.getDescription().contains("java."), s.getDescription());
        assertTrue(s.getDescription().contains("server's log"), s.getDescription());
    }

    @Test
    void longDescriptionsAreCapped() {
        Status s = Statuses.of("Score", ServingException.invalid("x".repeat(50_000)));
        assertTrue(s.getDescription().length() < Statuses.MAX_DESCRIPTION + 40, "" + s.getDescription().length());
        assertTrue(s.getDescription().endsWith("(50000 characters)"));
    }
}
