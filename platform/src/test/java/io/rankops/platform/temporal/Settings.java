package io.rankops.platform.temporal;

import java.nio.file.Path;
import java.util.Optional;

/** Settings as a test writes them; every security option starts off. */
record Settings(String target, boolean tls, Optional<String> caCert, Optional<String> clientCert,
        Optional<String> clientKey, Optional<String> serverName, Optional<String> apiKey,
        boolean allowPlaintextApiKey) implements TemporalConnectionSettings {

    static Settings plaintext(String target) {
        return new Settings(target, false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false);
    }

    @Override
    public String namespace() {
        return "default";
    }

    Settings withTls() {
        return new Settings(target, true, caCert, clientCert, clientKey, serverName, apiKey, allowPlaintextApiKey);
    }

    Settings withCa(Path ca) {
        return new Settings(target, tls, Optional.of(ca.toString()), clientCert, clientKey, serverName, apiKey,
                allowPlaintextApiKey);
    }

    Settings withClient(Path cert, Path key) {
        return new Settings(target, tls, caCert, Optional.ofNullable(cert).map(Path::toString),
                Optional.ofNullable(key).map(Path::toString), serverName, apiKey, allowPlaintextApiKey);
    }

    Settings withServerName(String name) {
        return new Settings(target, tls, caCert, clientCert, clientKey, Optional.of(name), apiKey, allowPlaintextApiKey);
    }

    Settings withApiKey(String key) {
        return new Settings(target, tls, caCert, clientCert, clientKey, serverName, Optional.of(key), allowPlaintextApiKey);
    }

    Settings allowingPlaintextApiKey() {
        return new Settings(target, tls, caCert, clientCert, clientKey, serverName, apiKey, true);
    }
}
