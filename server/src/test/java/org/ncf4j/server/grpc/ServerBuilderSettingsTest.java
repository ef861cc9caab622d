package org.ncf4j.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncf4j.server.config.ConfigException;
import org.ncf4j.server.config.SecurityConfig;

class ServerBuilderSettingsTest {
    @TempDir
    Path dir;

    @Test
    void certificateFilesThatAreNotPemStopTheStartNamingThem() throws Exception {
        String cert = Files.writeString(dir.resolve("server.pem"), "not a certificate").toString();
        String key = Files.writeString(dir.resolve("server.key"), "not a key").toString();
        ConfigException e = assertThrows(ConfigException.class, () -> ServerBuilderSettings.sslContext(
                new SecurityConfig(cert, key, "", "", "")));
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("ncf.security: the gRPC port cannot use the certificate files (" + cert + ", "
                + key + "): "), e.problems().get(0));
    }
}
