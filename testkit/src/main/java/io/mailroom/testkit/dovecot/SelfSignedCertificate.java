package io.mailroom.testkit.dovecot;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate for {@code localhost} and {@code 127.0.0.1}, made at test time with the
 * {@code openssl} command (which Dovecot's Debian packages pull in) and an EC key, which takes
 * milliseconds where RSA or DH parameters would take seconds.
 *
 * @param certificateFile the certificate, PEM
 * @param privateKeyFile  its private key, PEM
 * @param certificate     the certificate, parsed
 */
public record SelfSignedCertificate(Path certificateFile, Path privateKeyFile, X509Certificate certificate) {

    static SelfSignedCertificate create(Path dir) throws IOException, InterruptedException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path log = dir.resolve("openssl.log");
        Process openssl = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            openssl.destroyForcibly();
            throw new IllegalStateException("openssl could not make a test certificate: "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        try (InputStream in = Files.newInputStream(cert)) {
            X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return new SelfSignedCertificate(cert, key, parsed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("openssl wrote a certificate Java cannot read", e);
        }
    }

    /** A TLS context that trusts this certificate alone: give it to clients under test. */
    public SSLContext trustingContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("dovecot-test", certificate);
            TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            managers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, managers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store for the test certificate", e);
        }
    }
}
