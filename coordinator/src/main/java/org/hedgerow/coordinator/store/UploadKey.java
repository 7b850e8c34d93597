package org.hedgerow.coordinator.store;

/**
 * How an accepted upload is recognised when it is retried.
 *
 * @param id the client's upload id (the same across its retries)
 * @param hash SHA-256 (hex) of the upload's body and headers; null for updates stored before schema
 *     version 3, whose retries are recognised by id alone
 */
public record UploadKey(String id, String hash) {}
