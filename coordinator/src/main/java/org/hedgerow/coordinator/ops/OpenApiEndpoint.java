package org.hedgerow.coordinator.ops;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.0 description of the coordinator's API, served from the
 * classpath resource {@code /openapi.json} (a copy lives in {@code docs/openapi.json}; a test keeps
 * them equal). Needs no credentials: it describes the API, not the federation.
 */
public final class OpenApiEndpoint {
  public static final String PATH = "/openapi.json";
  static final String RESOURCE = "/openapi.json";

  private OpenApiEndpoint() {}

  /** Mounts {@code GET /openapi.json} on {@code router}. */
  public static void mount(Router router) {
    Buffer body = Buffer.buffer(document());
    router.get(PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "max-age=300").end(body));
  }

  /** The document's bytes. */
  public static byte[] document() {
    try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the coordinator's classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
    }
  }
}
