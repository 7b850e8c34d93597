package org.hedgerow.coordinator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
  @TempDir Path tmp;

  @Test
  void init_newDirectory_writesEveryFileWithSecretsOwnerOnly() throws Exception {
    Path dir = tmp.resolve("state");
    List<Path> written = StateDirectory.init(dir, List.of("coord.example.org"));
    assertEquals(6, written.size());
    for (String secret : List.of(StateDirectory.CA_KEY, StateDirectory.SERVER_KEY, StateDirectory.OPERATOR_TOKEN,
        StateDirectory.AUDITOR_TOKEN)) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(secret))), secret);
    }
    StateDirectory s = StateDirectory.load(dir);
    String operator = StateDirectory.readToken(dir.resolve(StateDirectory.OPERATOR_TOKEN));
    assertEquals(43, operator.length(), "256 bits in base64url");
    assertEquals(Tokens.hash(operator), s.operatorTokenHash());
    assertTrue(!s.operatorTokenHash().equals(s.auditorTokenHash()));
    s.server().certificate().verify(s.ca().certificate().getPublicKey());
    assertTrue(s.server().certificate().getSubjectAlternativeNames().stream()
        .anyMatch(n -> n.get(1).equals("coord.example.org")));
  }

  @Test
  void init_existingState_refusesAndKeepsIt() throws Exception {
    StateDirectory.init(tmp, List.of());
    String ca = Files.readString(tmp.resolve(StateDirectory.CA));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectory.init(tmp, List.of()));
    assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
    assertEquals(ca, Files.readString(tmp.resolve(StateDirectory.CA)));
  }

  @Test
  void load_missingFile_errorNamesIt() throws Exception {
    StateDirectory.init(tmp, List.of());
    Files.delete(tmp.resolve(StateDirectory.SERVER_KEY));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectory.load(tmp));
    assertTrue(e.getMessage().contains("missing") && e.getMessage().contains(StateDirectory.SERVER_KEY), e.getMessage());
  }

  @Test
  void load_corruptCertificate_errorNamesIt() throws Exception {
    StateDirectory.init(tmp, List.of());
    Files.writeString(tmp.resolve(StateDirectory.CA), "garbage");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectory.load(tmp));
    assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains(StateDirectory.CA), e.getMessage());
  }

  @Test
  void load_keyOfAnotherState_errorSaysItDoesNotBelong() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    StateDirectory.init(a, List.of());
    StateDirectory.init(b, List.of());
    Files.copy(b.resolve(StateDirectory.SERVER_KEY), a.resolve(StateDirectory.SERVER_KEY),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectory.load(a));
    assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
  }

  @Test
  void load_emptyTokenFile_errorNamesIt() throws Exception {
    StateDirectory.init(tmp, List.of());
    Files.writeString(tmp.resolve(StateDirectory.AUDITOR_TOKEN), "\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectory.load(tmp));
    assertTrue(e.getMessage().contains(StateDirectory.AUDITOR_TOKEN), e.getMessage());
  }

  @Test
  void load_noDirectory_errorSaysHowToCreateIt() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectory.load(tmp.resolve("none")));
    assertTrue(e.getMessage().contains("coordinator init"), e.getMessage());
  }

  @Test
  void init_newDirectory_directoryIsOwnerOnly() throws Exception {
    Path dir = tmp.resolve("state");
    StateDirectory.init(dir, List.of());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
  }

  @Test
  void load_groupOrWorldReadableSecret_refusedNamingTheFileAndTheChmod() throws Exception {
    Path dir = tmp.resolve("state");
    StateDirectory.init(dir, List.of());
    for (String secret : List.of(StateDirectory.CA_KEY, StateDirectory.SERVER_KEY, StateDirectory.OPERATOR_TOKEN,
        StateDirectory.AUDITOR_TOKEN)) {
      Path f = dir.resolve(secret);
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectory.load(dir));
      assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("chmod 600 " + f), e.getMessage());
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectory.load(dir));
    assertTrue(e.getMessage().contains("chmod 700 " + dir), e.getMessage());
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    StateDirectory.load(dir);
  }

  @Test
  void ledgerKey_created_ownerOnlyAndRefusedOnceWorldReadable() throws Exception {
    Path dir = tmp.resolve("state");
    StateDirectory.init(dir, List.of());
    org.hedgerow.coordinator.ledger.LedgerKey.loadOrCreate(dir);
    Path key = dir.resolve(org.hedgerow.coordinator.ledger.LedgerKey.PRIVATE_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDirectory.load(dir));
    assertTrue(e.getMessage().contains("ledger") && e.getMessage().contains("chmod 600 " + key), e.getMessage());
  }

  @Test
  void sqliteStore_created_databaseFileOwnerOnly() throws Exception {
    Path db = tmp.resolve("state").resolve("coordinator.db");
    try (var s = org.hedgerow.coordinator.store.JdbcCoordinatorStore.open(
        org.hedgerow.coordinator.store.StoreLocation.sqlite(db))) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
    }
  }

  @Test
  void rotateTokens_operatorOnly_newOperatorTokenAuditorKeptAndAuthenticatorReloads() throws Exception {
    Path dir = tmp.resolve("state");
    StateDirectory.init(dir, List.of());
    String op = StateDirectory.readToken(dir.resolve(StateDirectory.OPERATOR_TOKEN));
    String au = StateDirectory.readToken(dir.resolve(StateDirectory.AUDITOR_TOKEN));
    Authenticator auth = Authenticator.forTls(StateDirectory.load(dir), ClientRegistry.load(new InMemoryCredentialStore()));
    assertEquals(List.of(dir.resolve(StateDirectory.OPERATOR_TOKEN)), StateDirectory.rotateTokens(dir, true, false));
    String op2 = StateDirectory.readToken(dir.resolve(StateDirectory.OPERATOR_TOKEN));
    assertTrue(!op.equals(op2));
    assertEquals(au, StateDirectory.readToken(dir.resolve(StateDirectory.AUDITOR_TOKEN)));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve(StateDirectory.OPERATOR_TOKEN))));
    assertEquals(List.of("operator"), auth.reloadTokens(dir));
    assertEquals(List.of(), auth.reloadTokens(dir), "nothing changed since");
  }
}
