package org.hedgerow.coordinator.store;

/**
 * One accepted update, as kept until its round closes (its body is dropped then; the row stays so
 * that a retried upload is still recognised by its upload id).
 *
 * @param round the round it belongs to
 * @param clientId who sent it
 * @param uploadId the client's id for this upload, the same across its retries
 * @param position order of acceptance within the round (0-based)
 * @param trainedOnVersion the model version it was trained from
 * @param examples its FedAvg weight
 * @param body the wire bytes (little-endian float32) when saved; null when read back from the store
 *     (the body stays in its round's body file, read through {@link UpdateBodies})
 * @param trainSeconds reported training time (0 if none)
 * @param trainLoss reported training loss (NaN if none)
 * @param acceptedAtMillis when it was accepted, epoch milliseconds
 * @param uploadHash SHA-256 (hex) of the body and headers, bound to the upload id; null if unknown
 */
public record StoredUpdate(int round, String clientId, String uploadId, int position, int trainedOnVersion,
    long examples, byte[] body, double trainSeconds, double trainLoss, long acceptedAtMillis, String uploadHash) {
  /** Without a hash of the upload (a retry is then recognised by its id alone). */
  public StoredUpdate(int round, String clientId, String uploadId, int position, int trainedOnVersion, long examples,
      byte[] body, double trainSeconds, double trainLoss, long acceptedAtMillis) {
    this(round, clientId, uploadId, position, trainedOnVersion, examples, body, trainSeconds, trainLoss,
        acceptedAtMillis, null);
  }
}
