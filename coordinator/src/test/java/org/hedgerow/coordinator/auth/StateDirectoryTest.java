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
}
