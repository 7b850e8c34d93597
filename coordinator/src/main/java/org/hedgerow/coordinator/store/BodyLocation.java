package org.hedgerow.coordinator.store;

/**
 * Where one update body lies in its round's body file, with the SHA-256 that proves it intact.
 *
 * @param offset first byte in the file
 * @param length bytes
 * @param sha256 lower-case hex SHA-256 of those bytes
 */
record BodyLocation(long offset, int length, String sha256) {
  long end() {
    return offset + length;
  }
}
