package org.hedgerow.coordinator.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The coordinator's state directory: its CA (or, with an offline CA, only the CA's certificate), its server
 * certificate and the operator's and
 * auditor's bearer tokens. {@code hedgerow coordinator init} creates it once; the coordinator
 * {@link #load}s it at every start. Private keys and tokens are written readable by the owner only
 * (on file systems with POSIX permissions).
 *
 * <p>The tokens are kept here in the clear because the operator needs to read them back; the
 * loaded state holds only their hashes.
 */
public final class StateDirectory {
  public static final String CA = "ca.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final String SERVER = "server.pem";
  public static final String SERVER_KEY = "server-key.pem";
  /** With an offline CA: the server's certificate request, for the CA operator to sign into {@value #SERVER}. */
  public static final String SERVER_CSR = "server.csr";
  public static final String OPERATOR_TOKEN = "operator.token";
  public static final String AUDITOR_TOKEN = "auditor.token";
  /** The ledger's Ed25519 private key (made by {@code ledger.LedgerKey}; named here so this package needs no other). */
  public static final String LEDGER_KEY = "ledger-key";
  private static final List<String> FILES = List.of(CA, CA_KEY, SERVER, SERVER_KEY, SERVER_CSR, OPERATOR_TOKEN,
      AUDITOR_TOKEN);

  private final Path dir;
  private final CertificateAuthority ca;
  private final X509Certificate caCertificate;
  private final KeyAndCertificate server;
  private final String operatorTokenHash;
  private final String auditorTokenHash;

  private StateDirectory(Path dir, CertificateAuthority ca, X509Certificate caCertificate, KeyAndCertificate server,
      String operatorTokenHash, String auditorTokenHash) {
    this.dir = dir;
    this.ca = ca;
    this.caCertificate = caCertificate;
    this.server = server;
    this.operatorTokenHash = operatorTokenHash;
    this.auditorTokenHash = auditorTokenHash;
  }

  /**
   * Creates a new state directory (the directory may exist but must not hold any of the state files):
   * a CA, a server certificate for localhost, 127.0.0.1 and {@code extraHosts}, and fresh operator and
   * auditor tokens.
   *
   * @return the files written, in order
   * @throws IllegalStateException if {@code dir} already holds coordinator state
   */
  public static List<Path> init(Path dir, List<String> extraHosts) {
    refuseExistingState(dir);
    CertificateAuthority ca = CertificateAuthority.create("hedgerow federation CA", CertificateAuthority.CA_VALIDITY);
    KeyAndCertificate server = ca.issueServer(extraHosts, CertificateAuthority.SERVER_VALIDITY);
    List<Path> written = new ArrayList<>();
    try {
      SecretFiles.ownerOnlyDirectory(dir); // 0700: it holds the CA key, and the database is created in it
      // Secrets first, each created with owner-only permissions before any byte is written.
      written.add(writeNew(dir.resolve(CA_KEY), Pem.privateKey(ca.keyAndCertificate().key()), true));
      written.add(writeNew(dir.resolve(CA), Pem.certificate(ca.certificate()), false));
      written.add(writeNew(dir.resolve(SERVER_KEY), Pem.privateKey(server.key()), true));
      written.add(writeNew(dir.resolve(SERVER), Pem.certificate(server.certificate()), false));
      written.add(writeNew(dir.resolve(OPERATOR_TOKEN), Tokens.generate() + "\n", true));
      written.add(writeNew(dir.resolve(AUDITOR_TOKEN), Tokens.generate() + "\n", true));
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException(e.getFile() + " appeared while initialising " + dir + "; refusing to overwrite it", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the coordinator state to " + dir + ": " + e, e);
    }
    return written;
  }

  private static void refuseExistingState(Path dir) {
    for (String f : FILES) {
      if (Files.exists(dir.resolve(f))) {
        throw new IllegalStateException(dir + " already holds coordinator state (" + f + "); refusing to overwrite "
            + "it: its CA signed every enrolled silo's certificate. Choose another --dir, or delete it to start over.");
      }
    }
  }

  /**
   * Reads a state directory written by {@link #init}, checking that each key matches its certificate
   * and that the server certificate was signed by the CA.
   *
   * @throws IllegalStateException naming the missing or corrupt file
   */
  public static StateDirectory load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("no coordinator state directory at " + dir
          + "; create one with 'hedgerow coordinator init --dir " + dir + "'");
    }
    requireOwnerOnlySecrets(dir);
    if (offlineCa(dir)) {
      return loadWithOfflineCa(dir);
    }
    X509Certificate caCert = parse(dir, CA, Pem::readCertificate);
    PrivateKey caKey = parse(dir, CA_KEY, Pem::readPrivateKey);
    X509Certificate serverCert = parse(dir, SERVER, Pem::readCertificate);
    PrivateKey serverKey = parse(dir, SERVER_KEY, Pem::readPrivateKey);
    checkPair(dir.resolve(CA_KEY), caKey, dir.resolve(CA), caCert);
    checkPair(dir.resolve(SERVER_KEY), serverKey, dir.resolve(SERVER), serverCert);
    CertificateAuthority ca;
    try {
      ca = new CertificateAuthority(new KeyAndCertificate(caKey, caCert));
      serverCert.verify(caCert.getPublicKey());
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalStateException("corrupt coordinator state in " + dir + ": " + SERVER + " is not signed by "
          + CA + " (" + e.getMessage() + ")", e);
    }
    return new StateDirectory(dir, ca, caCert, new KeyAndCertificate(serverKey, serverCert),
        Tokens.hash(readToken(dir.resolve(OPERATOR_TOKEN))), Tokens.hash(readToken(dir.resolve(AUDITOR_TOKEN))));
  }

  /**
   * True when {@code dir} was made for an offline CA: it holds the CA certificate but not its key
   * ({@link #initWithOfflineCa}, or an online state directory whose {@value #CA_KEY} was moved to the CA's machine).
   */
  public static boolean offlineCa(Path dir) {
    return Files.exists(dir.resolve(CA)) && !Files.exists(dir.resolve(CA_KEY));
  }

  /**
   * Creates a state directory for a federation whose CA is kept offline ({@code hedgerow ca init}): a copy of
   * the CA certificate {@code caCertificateFile}, a server key with its certificate request {@value #SERVER_CSR}
   * (for localhost, 127.0.0.1 and {@code extraHosts}) and fresh operator and auditor tokens; no CA key. The
   * coordinator starts once the CA operator has signed the request into {@value #SERVER}.
   *
   * @return the files written, in order
   * @throws IllegalStateException if {@code dir} already holds coordinator state
   * @throws IllegalArgumentException if {@code caCertificateFile} is not a CA certificate
   */
  public static List<Path> initWithOfflineCa(Path dir, Path caCertificateFile, List<String> extraHosts) {
    refuseExistingState(dir);
    X509Certificate caCert;
    try {
      caCert = Pem.readCertificate(Files.readString(caCertificateFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the CA certificate " + caCertificateFile + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(caCertificateFile + " is not a PEM certificate: " + e.getMessage(), e);
    }
    if (caCert.getBasicConstraints() < 0) {
      throw new IllegalArgumentException(caCertificateFile + " is not a CA certificate (no basicConstraints CA:true)");
    }
    java.security.KeyPair kp = CertificateAuthority.newKeyPair();
    java.util.Set<String> hosts = new java.util.LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
    hosts.addAll(extraHosts);
    String csr = Pem.csr(ServerCertificateRequest.create(kp, hosts));
    List<Path> written = new ArrayList<>();
    try {
      SecretFiles.ownerOnlyDirectory(dir);
      written.add(writeNew(dir.resolve(CA), Pem.certificate(caCert), false));
      written.add(writeNew(dir.resolve(SERVER_KEY), Pem.privateKey(kp.getPrivate()), true));
      written.add(writeNew(dir.resolve(SERVER_CSR), csr, false));
      written.add(writeNew(dir.resolve(OPERATOR_TOKEN), Tokens.generate() + "\n", true));
      written.add(writeNew(dir.resolve(AUDITOR_TOKEN), Tokens.generate() + "\n", true));
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException(e.getFile() + " appeared while initialising " + dir + "; refusing to overwrite it", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the coordinator state to " + dir + ": " + e, e);
    }
    return written;
  }

  private static StateDirectory loadWithOfflineCa(Path dir) {
    X509Certificate caCert = parse(dir, CA, Pem::readCertificate);
    if (!Files.exists(dir.resolve(SERVER)) && Files.exists(dir.resolve(SERVER_CSR))) {
      throw new IllegalStateException("missing " + dir.resolve(SERVER) + ": this coordinator's CA is offline, so its "
          + "server certificate must be signed there. On the CA's machine run 'hedgerow ca sign --dir CA --server --csr "
          + SERVER_CSR + " --out " + SERVER + "' and copy the result to " + dir.resolve(SERVER));
    }
    X509Certificate serverCert = parse(dir, SERVER, Pem::readCertificate);
    PrivateKey serverKey = parse(dir, SERVER_KEY, Pem::readPrivateKey);
    checkPair(dir.resolve(SERVER_KEY), serverKey, dir.resolve(SERVER), serverCert);
    try {
      serverCert.verify(caCert.getPublicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException(dir.resolve(SERVER) + " is not signed by the federation CA in " + dir.resolve(CA)
          + " (" + e.getMessage() + ")", e);
    }
    return new StateDirectory(dir, null, caCert, new KeyAndCertificate(serverKey, serverCert),
        Tokens.hash(readToken(dir.resolve(OPERATOR_TOKEN))), Tokens.hash(readToken(dir.resolve(AUDITOR_TOKEN))));
  }

  /**
   * Refuses a state directory whose secrets (the directory itself, CA and server keys, tokens, the
   * ledger key) are accessible to the group or others, naming the file and the chmod that fixes it.
   */
  public static void requireOwnerOnlySecrets(Path dir) {
    SecretFiles.requireOwnerOnly(dir, "the coordinator's state directory");
    SecretFiles.requireOwnerOnly(dir.resolve(CA_KEY), "the federation CA's private key");
    SecretFiles.requireOwnerOnly(dir.resolve(SERVER_KEY), "the server's private key");
    SecretFiles.requireOwnerOnly(dir.resolve(OPERATOR_TOKEN), "the operator's bearer token");
    SecretFiles.requireOwnerOnly(dir.resolve(AUDITOR_TOKEN), "the auditor's bearer token");
    SecretFiles.requireOwnerOnly(dir.resolve(LEDGER_KEY),
        "the ledger's private key");
  }

  /**
   * Replaces the operator's and/or auditor's token with a fresh one, each written atomically and
   * owner-only. A running coordinator switches to them within {@link org.hedgerow.coordinator.AccessControl#TOKEN_RELOAD_MILLIS}.
   *
   * @return the files rewritten
   * @throws IllegalStateException if {@code dir} is not a state directory
   */
  public static List<Path> rotateTokens(Path dir, boolean operator, boolean auditor) {
    if (!Files.isRegularFile(dir.resolve(OPERATOR_TOKEN)) || !Files.isRegularFile(dir.resolve(AUDITOR_TOKEN))) {
      throw new IllegalStateException(dir + " is not a coordinator state directory (no " + OPERATOR_TOKEN + " and "
          + AUDITOR_TOKEN + "); create one with 'hedgerow coordinator init --dir " + dir + "'");
    }
    List<Path> written = new ArrayList<>();
    try {
      for (String f : operator && auditor ? List.of(OPERATOR_TOKEN, AUDITOR_TOKEN)
          : operator ? List.of(OPERATOR_TOKEN) : auditor ? List.of(AUDITOR_TOKEN) : List.<String>of()) {
        SecretFiles.writeOwnerOnly(dir.resolve(f), Tokens.generate() + "\n", true);
        written.add(dir.resolve(f));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a new token in " + dir + ": " + e, e);
    }
    return written;
  }

  /** The token stored in a token file (surrounding white space ignored). */
  public static String readToken(Path file) {
    String t;
    try {
      t = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("missing token file " + file, e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read token file " + file + ": " + e, e);
    }
    if (t.length() < 32 || !t.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalStateException("corrupt token file " + file + ": expected one base64url token of at least 32 "
          + "characters");
    }
    return t;
  }

  public Path dir() {
    return dir;
  }

  /** The federation CA with its key; null when the CA is offline ({@link #offlineCa()}). */
  public CertificateAuthority ca() {
    return ca;
  }

  /** The federation CA's certificate (both modes). */
  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /** True when the CA key is not here: enrolment happens offline and silos register by certificate. */
  public boolean offlineCa() {
    return ca == null;
  }

  public KeyAndCertificate server() {
    return server;
  }

  /** SHA-256 of the operator's bearer token. */
  public String operatorTokenHash() {
    return operatorTokenHash;
  }

  /** SHA-256 of the auditor's bearer token. */
  public String auditorTokenHash() {
    return auditorTokenHash;
  }

  static Path writeNew(Path file, String content, boolean secret) throws IOException {
    if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  static <T> T parse(Path dir, String name, java.util.function.Function<String, T> reader) {
    Path file = dir.resolve(name);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("missing " + file + " (the state directory is incomplete; was it created "
          + "with 'hedgerow coordinator init'?)", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e, e);
    }
    try {
      return reader.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("corrupt " + file + ": " + e.getMessage(), e);
    }
  }

  /** A key matches a certificate if a signature made with it verifies with the certificate's public key. */
  static void checkPair(Path keyFile, PrivateKey key, Path certFile, X509Certificate cert) {
    try {
      byte[] probe = "hedgerow key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(cert.getPublicKey());
      s.update(probe);
      if (s.verify(sig)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("corrupt coordinator state: " + keyFile + " is not an EC key usable with "
          + certFile + " (" + e.getMessage() + ")", e);
    }
    throw new IllegalStateException("corrupt coordinator state: " + keyFile + " does not belong to " + certFile);
  }
}
