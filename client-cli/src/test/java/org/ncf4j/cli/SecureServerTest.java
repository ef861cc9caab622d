package org.ncf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS end to end with certificates made here, and Reload behind the admin token. */
class SecureServerTest {
    @TempDir
    Path dir;

    @Test
    void tlsServesClientsThatTrustItsCertificateOnly() throws Exception {
        TestCertificates.Pair server = TestCertificates.make(dir, "server");
        TestCertificates.Pair other = TestCertificates.make(dir, "other");
        try (TestServer s = TestServer.start(Map.of("ncf.security.cert-chain", server.cert().toString(),
                "ncf.security.private-key", server.key().toString()))) {
            Cli ok = Cli.run("recommend", "u1", "--target", s.target(), "--ca", server.cert().toString());
            assertEquals(0, ok.code(), ok.toString());
            Cli byName = Cli.run("models", "--target", "localhost:" + s.port, "--ca", server.cert().toString(),
                    "--authority", "localhost");
            assertEquals(0, byName.code(), byName.toString());
            Cli wrongCa = Cli.run("recommend", "u1", "--target", s.target(), "--ca", other.cert().toString());
            assertEquals(3, wrongCa.code(), wrongCa.toString());
            assertTrue(wrongCa.message().startsWith("ncf: UNAVAILABLE"), wrongCa.message());
            Cli plaintext = Cli.run("recommend", "u1", "--target", s.target(), "--deadline", "5s");
            assertEquals(3, plaintext.code(), "a plaintext client is not served: " + plaintext);
            // the Open Inference Protocol's REST inference: on the HTTPS listener only, never on the plaintext port
            assertEquals(403, post(plain(s), null, null).statusCode());
            java.net.http.HttpResponse<String> tls = post(secure(s), server.cert(), null);
            assertEquals(200, tls.statusCode(), tls.body());
            assertTrue(tls.body().contains("\"outputs\""), tls.body());
            assertEquals(200, java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(plain(s).replace("/models/demo/infer", "/health/live"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void mutualTlsRefusesClientsWithoutATrustedCertificate() throws Exception {
        TestCertificates.Pair server = TestCertificates.make(dir, "server");
        TestCertificates.Pair client = TestCertificates.make(dir, "client");
        TestCertificates.Pair stranger = TestCertificates.make(dir, "stranger");
        try (TestServer s = TestServer.start(Map.of("ncf.security.cert-chain", server.cert().toString(),
                "ncf.security.private-key", server.key().toString(), "ncf.security.client-ca",
                client.cert().toString()))) {
            String ca = server.cert().toString();
            Cli ok = Cli.run("score", "u1:i2", "--target", s.target(), "--ca", ca, "--cert", client.cert().toString(),
                    "--key", client.key().toString());
            assertEquals(0, ok.code(), ok.toString());
            Cli none = Cli.run("score", "u1:i2", "--target", s.target(), "--ca", ca);
            assertEquals(3, none.code(), "no client certificate: " + none);
            Cli untrusted = Cli.run("score", "u1:i2", "--target", s.target(), "--ca", ca, "--cert",
                    stranger.cert().toString(), "--key", stranger.key().toString());
            assertEquals(3, untrusted.code(), "an untrusted client certificate: " + untrusted);
            // REST inference over HTTPS asks for the same client certificates
            assertEquals(200, post(secure(s), server.cert(), client).statusCode());
            assertThrows(java.io.IOException.class, () -> post(secure(s), server.cert(), null));
            assertThrows(java.io.IOException.class, () -> post(secure(s), server.cert(), stranger));
        }
    }

    @Test
    void reloadNeedsTheAdminTokenWhenOneIsSet() throws Exception {
        try (TestServer s = TestServer.start(Map.of("ncf.security.admin-token", "s3cret"))) {
            Cli none = Cli.run("reload", "--target", s.target());
            assertEquals(1, none.code(), none.toString());
            assertTrue(none.message().startsWith("ncf: UNAUTHENTICATED: "), none.message());
            Cli wrong = Cli.run("reload", "--target", s.target(), "--token", "guess");
            assertEquals(1, wrong.code(), wrong.toString());
            assertTrue(wrong.message().startsWith("ncf: PERMISSION_DENIED: "), wrong.message());
            Cli ok = Cli.run("reload", "demo", "--target", s.target(), "--token", "s3cret");
            assertEquals(0, ok.code(), ok.toString());
            // the other calls need no token
            assertEquals(0, Cli.run("models", "--target", s.target()).code());
        }
    }

    private static final String INFER = "{\"inputs\":[{\"name\":\"user\",\"shape\":[1],\"datatype\":\"BYTES\","
            + "\"data\":[\"u1\"]},{\"name\":\"item\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"i1\"]}]}";

    private static String plain(TestServer s) {
        return "http://127.0.0.1:" + s.httpPort + "/v2/models/demo/infer";
    }

    private static String secure(TestServer s) {
        return "https://localhost:" + s.httpsPort + "/v2/models/demo/infer";
    }

    /** A REST inference trusting {@code ca} (null: plaintext), with {@code client}'s certificate when given. */
    private static java.net.http.HttpResponse<String> post(String url, Path ca, TestCertificates.Pair client)
            throws Exception {
        java.net.http.HttpClient.Builder b = java.net.http.HttpClient.newBuilder();
        if (ca != null) {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (var in = java.nio.file.Files.newInputStream(ca)) {
                trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(in));
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.KeyManager[] keys = null;
            if (client != null) {
                java.security.KeyStore own = java.security.KeyStore.getInstance("PKCS12");
                try (var in = java.nio.file.Files.newInputStream(client.store())) {
                    own.load(in, "changeit".toCharArray());
                }
                javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(own, "changeit".toCharArray());
                keys = kmf.getKeyManagers();
            }
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(keys, tmf.getTrustManagers(), null);
            b.sslContext(context);
        }
        return b.build().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(INFER)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
