package org.hedgerow.simulations.partition;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.edge.data.PurchaseLine;

/**
 * Cross-silo federation: regional shops built from the customer's country through a mapping file
 * ({@code Country,silo} per line, {@code #} comments). A country mapped to a silo whose name ends
 * in {@code *} is split by customer into {@code ukShops} shops ({@code uk-1 … uk-N}): the UK holds
 * 91% of the rows, and one shop that large would make the federation a formality.
 *
 * <p>A customer seen under several countries goes to the silo of the country they bought from
 * most (ties: the alphabetically first), so that each customer lives in exactly one silo.
 */
public final class RegionPartitioner implements Partitioner {
  /** The mapping shipped on the classpath. */
  public static final String BUNDLED_MAPPING = "/org/hedgerow/simulations/partition/regions.csv";
  /** Countries missing from the mapping go here rather than being dropped silently. */
  public static final String FALLBACK_SILO = "rest-of-world";

  private final Map<String, String> countryToSilo;
  private final int ukShops;

  public RegionPartitioner(Map<String, String> countryToSilo, int ukShops) {
    if (ukShops < 1) {
      throw new IllegalArgumentException("uk shops must be >= 1. Provided value: " + ukShops);
    }
    this.countryToSilo = Map.copyOf(countryToSilo);
    this.ukShops = ukShops;
  }

  public static RegionPartitioner bundled(int ukShops) {
    try (InputStream in = RegionPartitioner.class.getResourceAsStream(BUNDLED_MAPPING)) {
      if (in == null) {
        throw new IllegalStateException("bundled mapping " + BUNDLED_MAPPING + " is missing from the classpath");
      }
      return new RegionPartitioner(read(in, BUNDLED_MAPPING), ukShops);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RegionPartitioner fromFile(Path file, int ukShops) {
    try (InputStream in = Files.newInputStream(file)) {
      return new RegionPartitioner(read(in, file.toString()), ukShops);
    } catch (IOException e) {
      throw new UncheckedIOException("reading region mapping " + file + ": " + e.getMessage(), e);
    }
  }

  static Map<String, String> read(InputStream in, String name) throws IOException {
    Map<String, String> map = new LinkedHashMap<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || (n == 1 && t.equalsIgnoreCase("country,silo"))) {
        continue;
      }
      int comma = t.lastIndexOf(',');
      if (comma <= 0 || comma == t.length() - 1) {
        throw new IllegalArgumentException(name + ":" + n + ": expected 'Country,silo', found '" + t + "'");
      }
      map.put(t.substring(0, comma).strip(), t.substring(comma + 1).strip());
    }
    return map;
  }

  @Override
  public Map<String, List<PurchaseLine>> partition(List<PurchaseLine> lines) {
    Map<Integer, String> siloOf = new HashMap<>();
    CustomerCountries.mainCountry(lines).forEach((customer, country) -> siloOf.put(customer, siloFor(country, customer)));
    return DirichletPartitioner.byCustomerSilo(lines, siloOf);
  }

  String siloFor(String country, int customerId) {
    String silo = countryToSilo.getOrDefault(country, FALLBACK_SILO);
    if (silo.endsWith("*")) {
      String base = silo.substring(0, silo.length() - 1);
      return ukShops == 1 ? base : base + "-" + (1 + Math.floorMod(mix(customerId), ukShops));
    }
    return silo;
  }

  /** A fixed integer mix (splitmix64 finaliser) so shop assignment is balanced and stable. */
  private static long mix(long x) {
    x += 0x9E3779B97F4A7C15L;
    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
    return x ^ (x >>> 31);
  }
}
