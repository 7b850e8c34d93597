package org.hedgerow.aggregation.wire;

import java.util.List;

/** {@code GET /v1/admin/clients} (operator or auditor): every enrolled client. */
public record EnrolledClientsAnswer(List<Entry> clients) {
  /**
   * @param certificateSha256 fingerprint of its client certificate (null with TLS off)
   * @param revokedAt when it was revoked (ISO-8601), or null
   */
  public record Entry(String clientId, String certificateSha256, String enrolledAt, String revokedAt) {}
}
