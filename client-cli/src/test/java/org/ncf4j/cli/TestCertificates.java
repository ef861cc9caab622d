package org.ncf4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;

/** Self-signed certificates made for a test with the JDK's keytool, written as PEM files. */
final class TestCertificates {
    /** A certificate (which is its own CA) and its PKCS#8 key. */
    /** The PEM certificate and key, and both in a PKCS12 store (password "changeit"). */
    record Pair(Path cert, Path key, Path store) {
    }

    private TestCertificates() {
    }

    /** A certificate for {@code name}, valid for localhost and 127.0.0.1. */
    static Pair make(Path dir, String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=" + name, "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate(name);
        PrivateKey key = (PrivateKey) ks.getKey(name, "changeit".toCharArray());
        Path certFile = dir.resolve(name + ".pem");
        Path keyFile = dir.resolve(name + ".key");
        Files.write(certFile, pem("CERTIFICATE", cert.getEncoded()));
        Files.write(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new Pair(certFile, keyFile, store);
    }

    private static List<String> pem(String type, byte[] der) throws IOException {
        Base64.Encoder lines = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return List.of("-----BEGIN " + type + "-----", lines.encodeToString(der), "-----END " + type + "-----");
    }
}
