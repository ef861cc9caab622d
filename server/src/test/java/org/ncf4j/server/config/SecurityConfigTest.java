package org.ncf4j.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityConfigTest {
    @TempDir
    Path dir;

    @Test
    void offByDefault() {
        SecurityConfig c = new SecurityConfig(null, null, null, null, null);
        assertFalse(c.tls());
        assertEquals(SecurityConfig.ClientAuth.NONE, c.auth());
        assertEquals("plaintext, Reload open to every caller", c.describe());
    }

    @Test
    void aClientCaAsksForClientCertificatesUnlessToldOtherwise() throws Exception {
        String cert = Files.writeString(dir.resolve("c.pem"), "x").toString();
        String key = Files.writeString(dir.resolve("k.pem"), "x").toString();
        SecurityConfig required = new SecurityConfig(cert, key, cert, "", " s3cret ");
        assertTrue(required.tls());
        assertEquals(SecurityConfig.ClientAuth.REQUIRE, required.auth());
        assertEquals("s3cret", required.adminToken());
        assertEquals("TLS, client certificates require, Reload needs the admin token", required.describe());
        assertFalse(required.toString().contains("s3cret"), "the token is never printed");
        assertEquals(SecurityConfig.ClientAuth.OPTIONAL, new SecurityConfig(cert, key, cert, "OPTIONAL", "").auth());
    }

    @Test
    void everyBadValueIsNamed() throws Exception {
        String cert = Files.writeString(dir.resolve("c.pem"), "x").toString();
        ConfigException e = assertThrows(ConfigException.class, () -> new SecurityConfig(cert, "", "", "", ""));
        assertTrue(e.problems().get(0).contains("go together"), e.problems().toString());
        e = assertThrows(ConfigException.class, () -> new SecurityConfig(cert, dir.resolve("missing").toString(),
                "", "sometimes", ""));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).contains("no such readable file"), e.problems().toString());
        assertTrue(e.problems().get(1).contains("expected none, optional or require"), e.problems().toString());
        e = assertThrows(ConfigException.class, () -> new SecurityConfig("", "", cert, "", ""));
        assertTrue(e.problems().get(0).contains("need TLS"), e.problems().toString());
        e = assertThrows(ConfigException.class, () -> new SecurityConfig(cert, cert, "", "require", ""));
        assertTrue(e.problems().get(0).contains("needs ncf.security.client-ca"), e.problems().toString());
    }
}
