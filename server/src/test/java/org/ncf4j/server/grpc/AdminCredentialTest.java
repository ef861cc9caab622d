package org.ncf4j.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class AdminCredentialTest {
    @Test
    void theTokenMustBeSentAsABearerCredential() {
        AdminCredential guard = new AdminCredential("s3cret");
        assertEquals(Status.Code.UNAUTHENTICATED, guard.check(null).getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, guard.check(" ").getCode());
        assertEquals(Status.Code.PERMISSION_DENIED, guard.check("Bearer guess").getCode());
        assertEquals(Status.Code.PERMISSION_DENIED, guard.check("Bearer s3cret2").getCode());
        assertNull(guard.check("Bearer s3cret"));
        assertNull(guard.check("s3cret"));
    }
}
