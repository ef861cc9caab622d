package org.ncf4j.server.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code ncf.security} settings: TLS for the gRPC port and the admin credential. Off by default (plaintext,
 * Reload open to every caller). Environment variables: {@code NCF_SECURITY_CERT_CHAIN},
 * {@code NCF_SECURITY_PRIVATE_KEY}, {@code NCF_SECURITY_CLIENT_CA}, {@code NCF_SECURITY_CLIENT_AUTH},
 * {@code NCF_SECURITY_ADMIN_TOKEN}. Checked at startup like {@link ServingConfig}.
 *
 * @param certChain the server's PEM certificate chain; with {@code privateKey}, turns TLS on
 * @param privateKey the server's PEM private key (PKCS#8)
 * @param clientCa PEM certificates that client certificates must chain to (mutual TLS)
 * @param clientAuth none, optional or require; default: require when {@code clientCa} is set, else none
 * @param adminToken when set, Reload needs the metadata {@code authorization: Bearer <token>}: without it the
 *     call is UNAUTHENTICATED, with another token PERMISSION_DENIED
 */
@ConfigurationProperties("ncf.security")
public record SecurityConfig(
        @Bindable(defaultValue = "") String certChain,
        @Bindable(defaultValue = "") String privateKey,
        @Bindable(defaultValue = "") String clientCa,
        @Bindable(defaultValue = "") String clientAuth,
        @Bindable(defaultValue = "") String adminToken) {

    /** Whether and how client certificates are asked for. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRE }

    public SecurityConfig {
        certChain = strip(certChain);
        privateKey = strip(privateKey);
        clientCa = strip(clientCa);
        clientAuth = strip(clientAuth).toLowerCase(Locale.ROOT);
        adminToken = adminToken == null ? "" : adminToken.strip();
        List<String> problems = new ArrayList<>();
        if (certChain.isEmpty() != privateKey.isEmpty()) {
            problems.add("ncf.security.cert-chain and ncf.security.private-key go together: TLS needs both");
        }
        readable(problems, "ncf.security.cert-chain", certChain);
        readable(problems, "ncf.security.private-key", privateKey);
        readable(problems, "ncf.security.client-ca", clientCa);
        if (!clientAuth.isEmpty() && !List.of("none", "optional", "require").contains(clientAuth)) {
            problems.add("ncf.security.client-auth is '" + clientAuth + "', expected none, optional or require");
        }
        if (certChain.isEmpty() && (!clientCa.isEmpty() || clientAuth.equals("require")
                || clientAuth.equals("optional"))) {
            problems.add("ncf.security.client-ca and client-auth need TLS: set ncf.security.cert-chain and "
                    + "private-key too");
        }
        if ((clientAuth.equals("require") || clientAuth.equals("optional")) && clientCa.isEmpty()) {
            problems.add("ncf.security.client-auth " + clientAuth + " needs ncf.security.client-ca, the "
                    + "certificates client certificates must chain to");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    public boolean tls() {
        return !certChain.isEmpty();
    }

    public ClientAuth auth() {
        if (clientAuth.isEmpty()) {
            return clientCa.isEmpty() ? ClientAuth.NONE : ClientAuth.REQUIRE;
        }
        return ClientAuth.valueOf(clientAuth.toUpperCase(Locale.ROOT));
    }

    /** The configuration's description for the startup log, without the token. */
    public String describe() {
        String tls = tls() ? "TLS" + (auth() == ClientAuth.NONE ? "" : ", client certificates "
                + auth().name().toLowerCase(Locale.ROOT)) : "plaintext";
        return tls + (adminToken.isEmpty() ? ", Reload open to every caller" : ", Reload needs the admin token");
    }

    @Override
    public String toString() {
        return "SecurityConfig[" + describe() + "]";
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }

    private static void readable(List<String> problems, String key, String file) {
        if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
            problems.add(key + " is " + file + ": no such readable file");
        }
    }
}
