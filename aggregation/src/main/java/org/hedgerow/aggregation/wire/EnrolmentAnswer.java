package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /v1/enrol} answered 201. Over TLS the silo gets a client certificate and the CA that
 * issued it; without TLS (development) a bearer token instead.
 *
 * @param certificate PEM client certificate, or null without TLS
 * @param ca PEM of the federation CA, or null without TLS
 * @param token bearer token, or null over TLS
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnrolmentAnswer(String clientId, String certificate, String ca, String token) {

  public static EnrolmentAnswer certified(String clientId, String certificatePem, String caPem) {
    return new EnrolmentAnswer(clientId, certificatePem, caPem, null);
  }

  public static EnrolmentAnswer bearer(String clientId, String token) {
    return new EnrolmentAnswer(clientId, null, null, token);
  }
}
