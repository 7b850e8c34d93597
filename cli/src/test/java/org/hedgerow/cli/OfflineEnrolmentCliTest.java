package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hedgerow.edge.client.ClientCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The silo's and the CA operator's commands of the offline-CA flow, in process (no coordinator needed). */
class OfflineEnrolmentCliTest {
  @TempDir Path tmp;

  private CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void enrolOffline_requestSignInstall_credentialsLoadWithTheCertifiedIdentityKey() {
    Path ca = tmp.resolve("ca");
    Path creds = tmp.resolve("creds");
    assertEquals(0, run("ca", "init", "--dir", ca.toString()).exitCode());
    CliRun request = run("enrol", "--csr-out", tmp.resolve("a.csr").toString(), "--client-id", "shop-a", "--dir",
        creds.toString());
    assertEquals(0, request.exitCode(), request.err());
    CliRun sign = run("ca", "sign", "--dir", ca.toString(), "--csr", tmp.resolve("a.csr").toString(), "--client-id",
        "shop-a", "--out", tmp.resolve("a.pem").toString());
    assertEquals(0, sign.exitCode(), sign.err());
    CliRun install = run("enrol", "--install-certificate", tmp.resolve("a.pem").toString(), "--trust",
        ca.resolve("ca.pem").toString(), "--dir", creds.toString());
    assertEquals(0, install.exitCode(), install.err());
    ClientCredentials c = ClientCredentials.load(creds);
    assertEquals("shop-a", c.clientId());
    String identity = org.hedgerow.privacy.crypto.Hex.encode(c.certifiedIdentity().publicKey());
    assertTrue(sign.out().contains("identity key: " + identity), "the CA operator saw the key it certified: " + sign.out());
    assertTrue(request.out().contains(identity), "the silo printed it to compare: " + request.out());
  }

  @Test
  void enrolInstall_certificateForAnotherSiloOrFromAnotherCa_refusedAndNothingWritten() {
    Path ca = tmp.resolve("ca");
    Path other = tmp.resolve("other-ca");
    run("ca", "init", "--dir", ca.toString());
    run("ca", "init", "--dir", other.toString());
    for (String s : new String[] {"a", "b"}) {
      run("enrol", "--csr-out", tmp.resolve(s + ".csr").toString(), "--client-id", "shop-" + s, "--dir",
          tmp.resolve("creds-" + s).toString());
    }
    run("ca", "sign", "--dir", ca.toString(), "--csr", tmp.resolve("b.csr").toString(), "--client-id", "shop-b",
        "--out", tmp.resolve("b.pem").toString());
    run("ca", "sign", "--dir", other.toString(), "--csr", tmp.resolve("a.csr").toString(), "--client-id", "shop-a",
        "--out", tmp.resolve("a-other.pem").toString());
    CliRun foreign = run("enrol", "--install-certificate", tmp.resolve("b.pem").toString(), "--trust",
        ca.resolve("ca.pem").toString(), "--dir", tmp.resolve("creds-a").toString());
    assertNotEquals(0, foreign.exitCode());
    assertTrue(foreign.err().contains("does not belong to"), foreign.err());
    CliRun wrongCa = run("enrol", "--install-certificate", tmp.resolve("a-other.pem").toString(), "--trust",
        ca.resolve("ca.pem").toString(), "--dir", tmp.resolve("creds-a").toString());
    assertNotEquals(0, wrongCa.exitCode());
    assertTrue(wrongCa.err().contains("is not signed by the federation CA"), wrongCa.err());
    assertFalse(Files.exists(tmp.resolve("creds-a").resolve(ClientCredentials.CERT)));
  }

  @Test
  void enrol_offlineStepsMixedOrIncomplete_clearUsageErrors() {
    CliRun none = run("enrol", "--dir", tmp.resolve("c").toString());
    assertNotEquals(0, none.exitCode());
    assertTrue(none.err().contains("--csr-out"), none.err());
    CliRun noId = run("enrol", "--csr-out", tmp.resolve("x.csr").toString(), "--dir", tmp.resolve("c").toString());
    assertTrue(noId.err().contains("--client-id"), noId.err());
    CliRun noTrust = run("enrol", "--install-certificate", tmp.resolve("x.pem").toString(), "--dir",
        tmp.resolve("c").toString());
    assertTrue(noTrust.err().contains("--trust"), noTrust.err());
    CliRun noRequest = run("enrol", "--install-certificate", tmp.resolve("x.pem").toString(), "--trust",
        tmp.resolve("ca.pem").toString(), "--dir", tmp.resolve("c").toString());
    assertTrue(noRequest.err().contains("make the certificate request first"), noRequest.err());
  }

  @Test
  void coordinatorStart_offlineCaWithoutClients_refusedNamingWhy() {
    Path ca = tmp.resolve("ca");
    Path state = tmp.resolve("state");
    run("ca", "init", "--dir", ca.toString());
    assertEquals(0, run("coordinator", "init", "--dir", state.toString(), "--ca-cert", ca.resolve("ca.pem").toString())
        .exitCode());
    CliRun start = run("coordinator", "start", "--dir", state.toString(), "--port", "0");
    assertNotEquals(0, start.exitCode());
    assertTrue(start.err().contains("--clients is required with an offline CA"), start.err());
  }
}
