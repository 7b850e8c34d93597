package org.hedgerow.coordinator;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;

/**
 * A test silo's side of the privacy ledger: its Ed25519 identity key and its budget (cap 8, δ 1e-5),
 * from which it charges a statistics release (σ 4) and DP-SGD rounds (σ 1.5, q 0.5, 5 steps, C 1)
 * and signs them, as an edge client would.
 */
final class SiloSpends {
  final String holder;
  final Ed25519KeyPair key;
  final PrivacyBudget budget;

  SiloSpends(String holder) {
    this(holder, Ed25519.generateKeyPair(new SecureRandom()));
  }

  SiloSpends(String holder, Ed25519KeyPair key) {
    this.holder = holder;
    this.key = key;
    this.budget = new PrivacyBudget(holder, 8, 1e-5);
  }

  /** The join/register field {@code identity_key}: base64 of the public key. */
  String identityKey() {
    return Base64.getEncoder().encodeToString(key.publicKey());
  }

  SignedSpend release() {
    return SignedSpend.sign(budget.chargeGaussianRelease(Federation.RELEASE_MECHANISM, 4.0), key);
  }

  SignedSpend round(int round) {
    return SignedSpend.sign(budget.spend(round, Federation.ROUND_MECHANISM, 1.5, 0.5, 5, 1.0), key);
  }

  /** {@code s} signed with this silo's key (for spends altered after the fact, or built by hand). */
  SignedSpend sign(Spend s) {
    return SignedSpend.sign(s, key);
  }

  /** Every entry of the budget's log, signed. */
  List<SignedSpend> log() {
    return budget.log().stream().map(this::sign).toList();
  }

  static String batch(SignedSpend... spends) {
    return SpendJson.batch(List.of(spends));
  }

  /** {@code s} with another ε (the rest unchanged). */
  static Spend withEpsilon(Spend s, double epsilon) {
    return new Spend(s.round(), s.holder(), s.mechanism(), s.noiseMultiplier(), s.sampleRate(), s.steps(), epsilon,
        s.delta(), s.cap(), s.clipNorm(), s.counter());
  }
}
