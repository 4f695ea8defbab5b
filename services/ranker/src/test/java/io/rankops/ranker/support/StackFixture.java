package io.rankops.ranker.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.rankops.platform.mlflow.MlflowCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A registered model of the test's own in the running MLflow, with versions whose artifacts live
 * under a prefix of the test's own in MinIO (both from infra/local/rankops.env, exported before the
 * tests run). {@link #close()} removes both.
 */
public final class StackFixture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String modelName;
    private final String prefix = "test/ranker-" + UUID.randomUUID() + "/";
    private final HttpClient http = HttpClient.newHttpClient();
    private final String api = "http://" + env("RANKOPS_HOST") + ":" + env("RANKOPS_MLFLOW_PORT") + "/api/2.0/mlflow/";
    // The suites' own MLflow account, the one the ranker under test reads with too (%test profile).
    private final String mlflowAuthorization = new MlflowCredentials(api, env("RANKOPS_MLFLOW_TEST_USER"),
            env("RANKOPS_MLFLOW_TEST_PASSWORD")).authorization();
    private final MinioClient minio = MinioClient.builder()
            .endpoint("http://" + env("RANKOPS_HOST") + ":" + env("RANKOPS_MINIO_PORT"))
            .credentials(env("RANKOPS_MINIO_USER"), env("RANKOPS_MINIO_PASSWORD"))
            .build();
    private final String bucket = env("RANKOPS_BUCKET");

    public StackFixture(String modelName) {
        this.modelName = modelName;
        call("POST", "registered-models/create", Map.of("name", modelName));
    }

    /** Uploads the artifact and registers it as the model's next version; returns the version number. */
    public String addVersion(byte[] onnx) {
        return addVersion(onnx, Map.of());
    }

    /** As {@link #addVersion(byte[])}, with version tags (e.g. {@code rankops.onnx_sha256}). */
    public String addVersion(byte[] onnx, Map<String, String> tags) {
        String key = prefix + UUID.randomUUID() + "/model.onnx";
        try {
            minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(onnx), onnx.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException("uploading " + key, e);
        }
        List<Map<String, String>> tagList = tags.entrySet().stream()
                .map(t -> Map.of("key", t.getKey(), "value", t.getValue())).toList();
        JsonNode created = call("POST", "model-versions/create",
                Map.of("name", modelName, "source", "s3://" + bucket + "/" + key, "tags", tagList));
        return created.path("model_version").path("version").asText();
    }

    /** Uploads bytes under the fixture's prefix (removed by {@link #close()}); returns their s3:// URI. */
    public String upload(byte[] bytes, String fileName) {
        String key = prefix + UUID.randomUUID() + "/" + fileName;
        try {
            minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException("uploading " + key, e);
        }
        return "s3://" + bucket + "/" + key;
    }

    /** Champion shared_bottom and candidate esmm (the parity fixtures); returns the candidate's version. */
    public String championAndCandidate() {
        setAlias("champion", addVersion(resource("shared_bottom.onnx")));
        String candidate = addVersion(resource("esmm.onnx"));
        setAlias("candidate", candidate);
        return candidate;
    }

    public void setAlias(String alias, String version) {
        call("POST", "registered-models/alias", Map.of("name", modelName, "alias", alias, "version", version));
    }

    public void deleteAlias(String alias) {
        call("DELETE", "registered-models/alias", Map.of("name", modelName, "alias", alias));
    }

    @Override
    public void close() {
        call("DELETE", "registered-models/delete", Map.of("name", modelName));
        try {
            for (Result<Item> result : minio.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(result.get().objectName()).build());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cleaning up " + prefix, e);
        }
    }

    /** A committed test model under src/test/resources/models/. */
    public static byte[] resource(String name) {
        try (InputStream in = StackFixture.class.getResourceAsStream("/models/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource models/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: export infra/local/rankops.env before running the tests");
        }
        return value;
    }

    private JsonNode call(String method, String path, Map<String, ?> body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + path))
                    .header("Content-Type", "application/json").header("Authorization", mlflowAuthorization)
                    .method(method, publisher).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
