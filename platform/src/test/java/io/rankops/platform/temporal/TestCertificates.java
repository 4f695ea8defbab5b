package io.rankops.platform.temporal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA with a server and a client certificate, made by openssl in a test's temporary
 * folder (EC P-256, one day): no key material is committed. The server certificate names only
 * {@link #SERVER_NAME}, not 127.0.0.1, so connecting by address needs the server-name setting.
 */
record TestCertificates(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey,
        Path otherCaCert) {

    static final String SERVER_NAME = "temporal.rankops.test";
    static final String CLIENT_NAME = "rankops-worker";

    static TestCertificates create(Path dir) throws IOException, InterruptedException {
        assumeTrue(openssl(dir, "version"), "openssl is not on PATH: the TLS handshake tests need it");
        Path caKey = dir.resolve("ca.key");
        Path ca = dir.resolve("ca.pem");
        selfSignedCa(dir, "rankops-test-ca", caKey, ca);
        Path otherCa = dir.resolve("other-ca.pem");
        selfSignedCa(dir, "someone-elses-ca", dir.resolve("other-ca.key"), otherCa);
        Path serverKey = dir.resolve("server.key");
        Path server = dir.resolve("server.pem");
        leaf(dir, SERVER_NAME, "subjectAltName=DNS:" + SERVER_NAME + "\nextendedKeyUsage=serverAuth\n",
                caKey, ca, serverKey, server);
        Path clientKey = dir.resolve("client.key");
        Path client = dir.resolve("client.pem");
        leaf(dir, CLIENT_NAME, "extendedKeyUsage=clientAuth\n", caKey, ca, clientKey, client);
        return new TestCertificates(ca, server, serverKey, client, clientKey, otherCa);
    }

    private static void selfSignedCa(Path dir, String name, Path key, Path cert) throws IOException, InterruptedException {
        Path ext = Files.writeString(dir.resolve(name + ".ext"),
                "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
        Path csr = dir.resolve(name + ".csr");
        run(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-subj", "/CN=" + name, "-out", csr.toString());
        run(dir, "x509", "-req", "-in", csr.toString(), "-signkey", key.toString(), "-days", "1",
                "-extfile", ext.toString(), "-out", cert.toString());
    }

    private static void leaf(Path dir, String name, String extensions, Path caKey, Path ca, Path key, Path cert)
            throws IOException, InterruptedException {
        Path ext = Files.writeString(dir.resolve(name + ".ext"),
                "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n" + extensions);
        Path csr = dir.resolve(name + ".csr");
        run(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-subj", "/CN=" + name, "-out", csr.toString());
        run(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-set_serial", String.valueOf(System.nanoTime()), "-days", "1", "-extfile", ext.toString(),
                "-out", cert.toString());
    }

    private static void run(Path dir, String... args) throws IOException, InterruptedException {
        if (!openssl(dir, args)) {
            throw new IOException("openssl " + String.join(" ", args) + " failed; see " + dir.resolve("openssl.log"));
        }
    }

    private static boolean openssl(Path dir, String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("openssl.log").toFile())).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        }
    }
}
