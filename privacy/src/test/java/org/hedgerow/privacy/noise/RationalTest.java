package org.hedgerow.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class RationalTest {

  @Test
  void constructor_unnormalisedTerms_areReducedWithPositiveDenominator() {
    assertEquals(Rational.of(1, 2), Rational.of(2, 4));
    Rational r = Rational.of(3, -6);
    assertEquals(BigInteger.valueOf(-1), r.numerator());
    assertEquals(BigInteger.TWO, r.denominator());
    assertEquals(Rational.of(0, 1), Rational.of(0, -7));
  }

  @Test
  void exactly_tenth_isTheExactDyadicValue() {
    Rational r = Rational.exactly(0.1);
    assertEquals(BigInteger.valueOf(3602879701896397L), r.numerator());
    assertEquals(BigInteger.ONE.shiftLeft(55), r.denominator());
    assertEquals(
        0,
        new BigDecimal(0.1)
            .compareTo(new BigDecimal(r.numerator()).divide(new BigDecimal(r.denominator()))));
  }

  @Test
  void exactly_integersHalvesAndSubnormals_areExact() {
    assertEquals(Rational.of(3, 1), Rational.exactly(3.0));
    assertEquals(Rational.of(-1, 2), Rational.exactly(-0.5));
    assertEquals(Rational.of(1L << 60, 1), Rational.exactly(0x1.0p60));
    assertEquals(
        Rational.of(BigInteger.ONE, BigInteger.ONE.shiftLeft(1074)),
        Rational.exactly(Double.MIN_VALUE));
  }

  @Test
  void compareTo_crossMultiplies() {
    assertTrue(Rational.of(1, 3).compareTo(Rational.of(1, 2)) < 0);
    assertEquals(0, Rational.of(2, 6).compareTo(Rational.of(1, 3)));
  }

  @Test
  void exactly_nonFinite_throws() {
    assertThrows(IllegalArgumentException.class, () -> Rational.exactly(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Rational.exactly(Double.NEGATIVE_INFINITY));
  }

  @Test
  void constructor_zeroDenominator_throws() {
    assertThrows(IllegalArgumentException.class, () -> Rational.of(1, 0));
  }
}
