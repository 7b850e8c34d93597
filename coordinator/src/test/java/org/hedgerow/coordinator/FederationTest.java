package org.hedgerow.coordinator;

import org.hedgerow.coordinator.http.RejectedException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.junit.jupiter.api.Test;

/** The round state machine without transport or store: what counts when, and what is refused. */
class FederationTest {
  private static final ModelSpec SPEC = new ModelSpec("test", List.of(2, 2, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);
  private static final byte[] ZERO = ParameterCodec.encode(new float[SPEC.parameterCount()]);

  private static Federation running(CoordinatorOptions o, String... silos) {
    Federation f = new Federation(o, new FedAvg(new FitConfig(1, 8, 1)));
    for (String s : silos) {
      Federation.PendingJoin j = f.prepareRegister(s, null, 0);
      f.joined(j);
    }
    f.apply(f.dueTransition(0).orElseThrow());
    return f;
  }

  private static Federation.PendingUpdate admit(Federation f, String id, String uploadId) {
    return f.admit(f.participant(id).orElseThrow(), f.round(), f.modelVersion(), SPEC.hash(), 1, ZERO, 0, 0,
        uploadId, 0).pending();
  }

  @Test
  void deadline_writeInFlight_closesOnlyAfterItCommitsAndRefusesLateOnes() {
    Federation f = running(CoordinatorOptions.of(SPEC, 2, 3, 1).withDeadline(1000, 1), "a", "b", "c");
    Federation.PendingUpdate a = admit(f, "a", "a-1");
    assertEquals(0, f.updatesThisRound(), "an update counts only after its write committed");
    assertTrue(f.deadlinePassed(1), "the write in flight can make the quorum");
    assertFalse(f.deadlineReached(1), "but the round waits for it");
    assertThrows(IllegalStateException.class, () -> f.prepareClose(0));
    RejectedException late = assertThrows(RejectedException.class, () -> admit(f, "b", "b-1"));
    assertTrue(late.getMessage().contains("too late"), late.getMessage());
    f.accepted(a);
    assertTrue(f.deadlineReached(1));
    f.closed(f.prepareClose(0));
    assertEquals(2, f.round());
    assertEquals(1, f.modelVersion());
  }

  @Test
  void deadline_writeInFlightFails_roundReopensForUploads() {
    Federation f = running(CoordinatorOptions.of(SPEC, 2, 2, 1).withDeadline(1000, 1), "a", "b");
    Federation.PendingUpdate a = admit(f, "a", "a-1");
    assertTrue(f.deadlinePassed(1));
    f.uploadFailed(a);
    assertFalse(f.deadlineReached(1), "nothing arrived after all");
    f.deadlineMissed();
    f.accepted(admit(f, "b", "b-1"));
    assertEquals(1, f.updatesThisRound());
  }

  @Test
  void admit_sameClientWhileStoring_retryAskedToWaitOtherRefused() {
    Federation f = running(CoordinatorOptions.of(SPEC, 2, 2, 1), "a", "b");
    admit(f, "a", "a-1");
    RejectedException retry = assertThrows(RejectedException.class, () -> admit(f, "a", "a-1"));
    assertEquals(503, retry.status());
    RejectedException other = assertThrows(RejectedException.class, () -> admit(f, "a", "a-2"));
    assertEquals(409, other.status());
  }

  @Test
  void construct_heldBodyBudgetPropertyNotANumber_refusedNamingTheProperty() {
    String before = System.getProperty(RoundUpdates.MAX_HELD_PROPERTY);
    System.setProperty(RoundUpdates.MAX_HELD_PROPERTY, "lots");
    try {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Federation(CoordinatorOptions.of(SPEC, 2, 2, 1), new FedAvg(new FitConfig(1, 8, 1))));
      assertTrue(e.getMessage().contains(RoundUpdates.MAX_HELD_PROPERTY) && e.getMessage().contains("lots"),
          e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(RoundUpdates.MAX_HELD_PROPERTY);
      } else {
        System.setProperty(RoundUpdates.MAX_HELD_PROPERTY, before);
      }
    }
  }

  @Test
  void prepareRegister_federationFullCountingPendingJoins_refused() {
    Federation f = new Federation(CoordinatorOptions.of(SPEC, 2, 2, 1), new FedAvg(new FitConfig(1, 8, 1)));
    f.prepareRegister("a", null, 0);
    f.prepareRegister("b", null, 0);
    RejectedException e = assertThrows(RejectedException.class, () -> f.prepareRegister("c", null, 0));
    assertTrue(e.getMessage().contains("full"), e.getMessage());
    assertTrue(f.dueTransition(0).isEmpty(), "round 1 waits until the joins are stored");
  }

  @Test
  void prepareJoin_alreadyParticipating_idempotent() {
    Federation f = new Federation(CoordinatorOptions.of(SPEC, 2, 2, 1), new FedAvg(new FitConfig(1, 8, 1)));
    f.joined(f.prepareJoin("silo-1", null, 0).orElseThrow());
    assertTrue(f.prepareJoin("silo-1", null, 0).isEmpty());
    assertEquals(1, f.registeredClients());
  }
}
