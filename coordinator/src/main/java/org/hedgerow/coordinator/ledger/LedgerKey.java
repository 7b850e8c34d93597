package org.hedgerow.coordinator.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.Hex;

/**
 * The coordinator's Ed25519 key that countersigns ledger links, kept in the state directory as
 * {@code ledger-key} (private, hex, 0600) and {@code ledger-key.pub} (public, hex: give it to auditors).
 */
public final class LedgerKey {
  public static final String PRIVATE_FILE = org.hedgerow.coordinator.auth.StateDirectory.LEDGER_KEY;
  public static final String PUBLIC_FILE = "ledger-key.pub";

  private LedgerKey() {}

  /** Loads the key pair from {@code dir}, creating it first if neither file exists. */
  public static Ed25519KeyPair loadOrCreate(Path dir) throws IOException {
    Path priv = dir.resolve(PRIVATE_FILE);
    Path pub = dir.resolve(PUBLIC_FILE);
    if (!Files.exists(priv) && !Files.exists(pub)) {
      Ed25519KeyPair k = Ed25519.generateKeyPair(new SecureRandom());
      Files.createDirectories(dir);
      // Created 0600 and moved into place: never readable by others, never half written.
      org.hedgerow.coordinator.auth.SecretFiles.writeOwnerOnly(priv, Hex.encode(k.privateKey()) + "\n", false);
      Files.writeString(pub, Hex.encode(k.publicKey()) + "\n", StandardCharsets.UTF_8);
      return k;
    }
    byte[] privateKey = readHex(priv, Ed25519.KEY_BYTES);
    byte[] publicKey = Ed25519.publicKeyOf(privateKey);
    if (Files.exists(pub) && !java.util.Arrays.equals(readHex(pub, Ed25519.KEY_BYTES), publicKey)) {
      throw new IOException(pub + " does not match " + priv);
    }
    return new Ed25519KeyPair(privateKey, publicKey);
  }

  /** A hex-encoded key of {@code bytes} bytes from a file, with an error naming the file. */
  public static byte[] readHex(Path file, int bytes) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("key file " + file + " does not exist");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    byte[] key;
    try {
      key = Hex.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is not hex: " + e.getMessage());
    }
    if (key.length != bytes) {
      throw new IOException(file + " holds " + key.length + " bytes, expected " + bytes);
    }
    return key;
  }
}
