package org.hedgerow.coordinator.auth;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate and its private key (the CA's own, or the server's). */
public record KeyAndCertificate(PrivateKey key, X509Certificate certificate) {}
