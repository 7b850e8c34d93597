package org.hedgerow.edge.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.edge.features.FeatureExtractor;

/**
 * A global model as serving uses it: its version, spec and parameters. Saved as one JSON file
 * ({@code client --save-model}, {@code serve --model}): {@code {"format": "hedgerow-model-v1",
 * "model_version", "spec": {...}, "spec_hash", "parameters": base64 of little-endian float32}}.
 */
public record ServingModel(String version, ModelSpec spec, float[] parameters) {
  public static final String FORMAT = "hedgerow-model-v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  public ServingModel {
    if (!spec.featureSchema().equals(FeatureExtractor.SCHEMA)) {
      throw new IllegalArgumentException("the model expects features '" + spec.featureSchema()
          + "', this silo computes '" + FeatureExtractor.SCHEMA + "'");
    }
    new MlpScorer(spec, parameters); // checks the count and the activations
  }

  public MlpScorer scorer() {
    return new MlpScorer(spec, parameters);
  }

  public void write(Path file) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", FORMAT).put("model_version", version);
    ObjectNode s = o.putObject("spec");
    s.put("feature_schema", spec.featureSchema());
    spec.layerSizes().forEach(s.putArray("layer_sizes")::add);
    s.put("hidden_activation", spec.hiddenActivation()).put("output_activation", spec.outputActivation())
        .put("dropout", spec.dropout()).put("loss", spec.loss()).put("learning_rate", spec.learningRate());
    o.put("spec_hash", spec.hash());
    o.put("parameters", Base64.getEncoder().encodeToString(ParameterCodec.encode(parameters)));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** @throws IllegalArgumentException naming the file and what is wrong with it */
  public static ServingModel read(Path file) {
    JsonNode o;
    try {
      o = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read model file " + file + ": " + e.getMessage());
    }
    if (o == null || !FORMAT.equals(o.path("format").asText())) {
      throw new IllegalArgumentException("model file " + file + " is not a " + FORMAT + " file (written by "
          + "'hedgerow client --save-model')");
    }
    try {
      ModelSpec spec = specFrom(o.get("spec"));
      if (!spec.hash().equals(o.path("spec_hash").asText())) {
        throw new IllegalArgumentException("spec_hash " + o.path("spec_hash").asText() + " does not match the spec ("
            + spec.hash() + ")");
      }
      float[] p = ParameterCodec.decode(Base64.getDecoder().decode(o.path("parameters").asText()),
          spec.parameterCount());
      return new ServingModel(o.path("model_version").asText(), spec, p);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("model file " + file + ": " + e.getMessage(), e);
    }
  }

  /** A spec from its JSON form (the coordinator's {@code /v1/model} "spec" object). */
  public static ModelSpec specFrom(JsonNode s) {
    if (s == null || !s.path("layer_sizes").isArray()) {
      throw new IllegalArgumentException("no model spec with layer_sizes");
    }
    List<Integer> layers = new ArrayList<>();
    s.get("layer_sizes").forEach(n -> layers.add(n.asInt()));
    return new ModelSpec(s.path("feature_schema").asText(), layers, s.path("hidden_activation").asText(),
        s.path("output_activation").asText(), s.path("dropout").asDouble(), s.path("loss").asText(),
        s.path("learning_rate").asDouble());
  }
}
