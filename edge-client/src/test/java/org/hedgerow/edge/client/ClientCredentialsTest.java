package org.hedgerow.edge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The silo-side checks that need no coordinator. Enrolment and mutual TLS against a real server are
 * tested end to end in the cli module ({@code EnrolmentCliTest}), which has both sides on its classpath.
 */
class ClientCredentialsTest {
  @TempDir Path tmp;

  @Test
  void enrol_plainHttpUrl_refusedBeforeAnythingIsSent() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClientCredentials.enrol(URI.create("http://127.0.0.1:1"), tmp.resolve("ca.pem"), "t", tmp.resolve("c")));
    assertTrue(e.getMessage().contains("https://"), e.getMessage());
  }

  @Test
  void enrol_existingCredentials_refusedAndKept() throws Exception {
    Path dir = tmp.resolve("creds");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(ClientCredentials.KEY), "old key");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ClientCredentials.enrol(URI.create("https://127.0.0.1:1"), tmp.resolve("ca.pem"), "t", dir));
    assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
    assertEquals("old key", Files.readString(dir.resolve(ClientCredentials.KEY)));
  }

  @Test
  void enrol_missingTrustFile_errorNamesIt() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ClientCredentials.enrol(URI.create("https://127.0.0.1:1"), tmp.resolve("nope.pem"), "t", tmp.resolve("c")));
    assertTrue(e.getMessage().contains("nope.pem"), e.getMessage());
  }

  @Test
  void load_missingOrCorruptFiles_errorNamesThem() throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ClientCredentials.load(tmp.resolve("x")));
    assertTrue(e.getMessage().contains("enrol"), e.getMessage());
    Files.writeString(tmp.resolve(ClientCredentials.KEY), "garbage");
    e = assertThrows(IllegalStateException.class, () -> ClientCredentials.load(tmp));
    assertTrue(e.getMessage().contains(ClientCredentials.KEY), e.getMessage());
  }
}
