package org.hedgerow.coordinator.store;

/**
 * Where one update body lies in its round's body file, with the checksum that proves it intact.
 *
 * @param offset first byte in the file
 * @param length bytes
 * @param checksum {@link BodyChecksum} of those bytes
 */
record BodyLocation(long offset, int length, String checksum) {
  long end() {
    return offset + length;
  }
}
