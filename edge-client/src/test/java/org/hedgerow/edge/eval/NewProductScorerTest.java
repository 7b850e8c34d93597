package org.hedgerow.edge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.task.CustomerLog;
import org.junit.jupiter.api.Test;

class NewProductScorerTest {
  @Test
  void best_neverReturnsABoughtProduct() {
    List<CustomerLog> customers = ExploreSlotsRankerTest.siloWithNeighbours();
    NewProductScorer scorer = NewProductScorer.of(customers, 40, List.of());
    CustomerHistory h = new CustomerHistory();
    customers.get(0).train().forEach(h::add);
    int[] best = scorer.best(h, 40);
    assertEquals(40 - 12, best.length);
    for (int i : best) {
      assertFalse(h.contains(i));
    }
  }

  @Test
  void best_descriptionWordsShared_rankThatProductFirst() {
    List<List<String>> words = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      words.add(i == 7 || i == 20 ? List.of("RETROSPOT", "BAG") : List.of("WORD" + i));
    }
    // No co-purchase or similar customer: only the description relates 7 to the customer's 20.
    List<CustomerLog> customers = List.of(new CustomerLog(1, List.of(ExploreSlotsRankerTest.basket(0, 20)), List.of()),
        new CustomerLog(2, List.of(ExploreSlotsRankerTest.basket(0, 7)), List.of()),
        new CustomerLog(3, List.of(ExploreSlotsRankerTest.basket(0, 9)), List.of()));
    NewProductScorer scorer = NewProductScorer.of(customers, 40, words);
    CustomerHistory h = new CustomerHistory();
    customers.get(0).train().forEach(h::add);
    assertEquals(7, scorer.best(h, 1)[0]);
  }

  @Test
  void best_customerWithoutRelatedProducts_fallsBackToBuyersOrder() {
    // Customer 1's product 3 was bought by nobody else: only the buyers tie-break orders the rest.
    List<CustomerLog> customers = List.of(new CustomerLog(1, List.of(ExploreSlotsRankerTest.basket(0, 3)), List.of()),
        new CustomerLog(2, List.of(ExploreSlotsRankerTest.basket(0, 8, 9)), List.of()),
        new CustomerLog(3, List.of(ExploreSlotsRankerTest.basket(0, 9)), List.of()));
    NewProductScorer scorer = NewProductScorer.of(customers, 12, List.of());
    CustomerHistory h = new CustomerHistory();
    customers.get(0).train().forEach(h::add);
    assertEquals(List.of(9, 8, 0), java.util.Arrays.stream(scorer.best(h, 3)).boxed().toList());
  }

  @Test
  void publicDescriptions_sharedWordsThenPopularity_orderNewProductsFromPublicInputsOnly() {
    List<List<String>> words = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      words.add(i == 2 || i == 5 || i == 9 ? List.of("RETROSPOT", "BAG") : List.of("WORD" + i));
    }
    float[] popularity = new float[12];
    popularity[5] = 0.9f; // shares the words and is popular: first
    popularity[9] = 0.3f; // shares the words: second
    popularity[11] = 1.0f; // most popular, no shared word: first of the rest
    NewProductScorer scorer = NewProductScorer.publicDescriptions(12, popularity, words);
    CustomerHistory h = new CustomerHistory();
    h.add(ExploreSlotsRankerTest.basket(0, 2));
    assertEquals(List.of(5, 9, 11), java.util.Arrays.stream(scorer.best(h, 3)).boxed().toList());
  }

  @Test
  void publicDescriptions_badPopularity_refusedNamingProduct() {
    List<List<String>> words = java.util.Collections.nCopies(3, List.of());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> NewProductScorer.publicDescriptions(3, new float[] {0f, Float.NaN, 1f}, words));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("popularity of product 1"), e.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> NewProductScorer.publicDescriptions(4, new float[3], words));
  }
}
