import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ranker latency at a fixed request rate on loopback, against bare ONNX Runtime on the same batch.
 * Run through bench/run.sh, which starts the ranker on its own port and stops it afterwards.
 *
 * Args: rankerUrl model.onnx [durationSeconds]. Registers the model as the champion of a
 * registered model named by RANKOPS_RANKER_MODEL_NAME (the ranker under test serves that name),
 * reloads the ranker, measures, and removes the model version's artifact again.
 */
public class RankerBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] BATCHES = {100, 1000};
    /** Requests per second per batch size: well below saturation on 2 shared cores. */
    private static final int[] RATES = {40, 8};
    private static final int ORT_RUNS = 400;

    public static void main(String[] args) throws Exception {
        String ranker = args[0];
        Path modelPath = Path.of(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        byte[] onnx = Files.readAllBytes(modelPath);
        String modelName = env("RANKOPS_RANKER_MODEL_NAME");
        String host = env("RANKOPS_HOST");
        String mlflow = "http://" + host + ":" + env("RANKOPS_MLFLOW_PORT") + "/api/2.0/mlflow/";
        // MLflow refuses anonymous writes: the bench registers its model with the suites' account.
        String mlflowAuth = "Basic " + Base64.getEncoder().encodeToString((env("RANKOPS_MLFLOW_TEST_USER") + ":"
                + env("RANKOPS_MLFLOW_TEST_PASSWORD")).getBytes(StandardCharsets.UTF_8));
        String bucket = env("RANKOPS_BUCKET");
        String key = "bench/ranker-" + System.currentTimeMillis() + "/model.onnx";
        MinioClient minio = MinioClient.builder().endpoint("http://" + host + ":" + env("RANKOPS_MINIO_PORT"))
                .credentials(env("RANKOPS_MINIO_USER"), env("RANKOPS_MINIO_PASSWORD")).build();
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        String admin = "Basic " + Base64.getEncoder().encodeToString((System.getenv().getOrDefault("RANKOPS_RANKER_ADMIN_USER", "rankops-worker")
                + ":" + System.getenv().getOrDefault("RANKOPS_RANKER_ADMIN_PASSWORD", "rankops-local-ranker-admin")).getBytes(StandardCharsets.UTF_8));

        minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(new ByteArrayInputStream(onnx), onnx.length, -1).build());
        try {
            post(http, mlflow + "registered-models/create", Map.of("name", modelName), mlflowAuth);
            String version = post(http, mlflow + "model-versions/create", Map.of("name", modelName, "source", "s3://" + bucket + "/" + key), mlflowAuth)
                    .path("model_version").path("version").asText();
            post(http, mlflow + "registered-models/alias", Map.of("name", modelName, "alias", "champion", "version", version), mlflowAuth);
            JsonNode models = post(http, ranker + "/admin/models/reload", Map.of(), admin);
            System.out.printf("ranker serves champion version %s (%s)%n", models.path("champion").path("version").asText(),
                    models.path("champion").path("family").asText());

            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1); // as the ranker's default rankops.ranker.onnx-intra-op-threads
                options.setInterOpNumThreads(1);
                try (OrtSession session = env.createSession(onnx, options)) {
                    JsonNode spec = JSON.readTree(session.getMetadata().getCustomMetadata().get("rankops.feature_spec"));
                    System.out.printf("%-10s %-6s %-22s %-22s %-22s %s%n", "candidates", "rate", "ranker p50 / p99 ms",
                            "bare ORT p50 / p99 ms", "ratio p50 / p99", "errors");
                    for (int i = 0; i < BATCHES.length; i++) {
                        Batch batch = Batch.random(spec, BATCHES[i], new Random(i));
                        double[] ort = bareOrt(env, session, batch);
                        Result served = serve(http, ranker, JSON.writeValueAsString(batch.request()), RATES[i], seconds);
                        System.out.printf("%-10d %-6s %-22s %-22s %-22s %d/%d%n", BATCHES[i], RATES[i] + "/s",
                                String.format("%.2f / %.2f", served.p50, served.p99), String.format("%.2f / %.2f", ort[0], ort[1]),
                                String.format("%.1f / %.1f", served.p50 / ort[0], served.p99 / ort[1]), served.errors, served.sent);
                    }
                }
            }
        } finally {
            send(http, "DELETE", mlflow + "registered-models/delete", JSON.writeValueAsString(Map.of("name", modelName)), mlflowAuth);
            minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            System.exit(0);
        }
    }

    /** Tensor creation + one session run + reading the four outputs, as the ranker does per request. */
    private static double[] bareOrt(OrtEnvironment env, OrtSession session, Batch batch) throws Exception {
        long[] times = new long[ORT_RUNS];
        for (int run = -ORT_RUNS / 4; run < ORT_RUNS; run++) {
            long start = System.nanoTime();
            try (OnnxTensor cat = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.cat), new long[] {batch.rows, batch.nCat});
                    OnnxTensor num = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.num), new long[] {batch.rows, batch.nNum});
                    OrtSession.Result result = session.run(Map.of("cat_features", cat, "num_features", num))) {
                for (var output : result) {
                    ((OnnxTensor) output.getValue()).getFloatBuffer();
                }
            }
            if (run >= 0) {
                times[run] = System.nanoTime() - start;
            }
        }
        return percentiles(times);
    }

    /** Open loop: request k is due at start + k/rate; latency counts from when it was due. */
    private static Result serve(HttpClient http, String ranker, String body, int rate, int seconds) throws Exception {
        warmUp(http, ranker, body, rate);
        int total = rate * seconds;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        long start = System.nanoTime() + 100_000_000L;
        long interval = 1_000_000_000L / rate;
        for (int k = 0; k < total; k++) {
            long due = start + k * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            senders.execute(() -> {
                try {
                    HttpResponse<String> response = send(http, "POST", ranker + "/v1/rank", body, null);
                    if (response.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
                latencies.add(System.nanoTime() - due);
            });
        }
        senders.shutdown();
        senders.awaitTermination(60, TimeUnit.SECONDS);
        double[] p = percentiles(latencies.stream().mapToLong(Long::longValue).toArray());
        return new Result(p[0], p[1], errors.get(), total);
    }

    private static void warmUp(HttpClient http, String ranker, String body, int rate) throws Exception {
        for (int i = 0; i < Math.max(50, rate * 5); i++) {
            send(http, "POST", ranker + "/v1/rank", body, null);
        }
    }

    private static double[] percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[(int) Math.floor(0.50 * (sorted.length - 1))] / 1e6,
                sorted[(int) Math.floor(0.99 * (sorted.length - 1))] / 1e6};
    }

    private static JsonNode post(HttpClient http, String url, Map<String, String> body, String auth) throws Exception {
        HttpResponse<String> response = send(http, "POST", url, JSON.writeValueAsString(body), auth);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST " + url + " -> " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(HttpClient http, String method, String url, String body, String auth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set (bench/run.sh exports infra/local/rankops.env)");
        }
        return value;
    }

    private record Result(double p50, double p99, int errors, int sent) {
    }

    /** One request's candidates: the same values as tensors (bare ORT) and as the JSON request. */
    private record Batch(int rows, int nCat, int nNum, long[] cat, float[] num, Map<String, Object> request) {

        static Batch random(JsonNode spec, int rows, Random random) {
            List<String> catNames = new ArrayList<>();
            List<Integer> cardinality = new ArrayList<>();
            spec.path("categorical").forEach(c -> {
                catNames.add(c.path("name").asText());
                cardinality.add(c.path("cardinality").asInt());
            });
            List<String> numNames = new ArrayList<>();
            spec.path("numerical").forEach(n -> numNames.add(n.asText()));
            String regionColumn = spec.path("region_column").asText();
            long[] cat = new long[rows * catNames.size()];
            float[] num = new float[rows * numNames.size()];
            List<Map<String, Object>> candidates = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                Map<String, Number> features = new LinkedHashMap<>();
                for (int c = 0; c < catNames.size(); c++) {
                    long id = catNames.get(c).equals(regionColumn) ? 0 : random.nextInt(cardinality.get(c));
                    cat[r * catNames.size() + c] = id;
                    if (!catNames.get(c).equals(regionColumn)) {
                        features.put(catNames.get(c), id);
                    }
                }
                for (int c = 0; c < numNames.size(); c++) {
                    float value = (float) random.nextGaussian();
                    num[r * numNames.size() + c] = value;
                    features.put(numNames.get(c), value);
                }
                candidates.add(Map.of("itemId", (long) r, "features", features));
            }
            Map<String, Object> request = Map.of("userId", 42L, "region", spec.path("regions").get(0).asText(),
                    "context", Map.of(), "candidates", candidates);
            return new Batch(rows, catNames.size(), numNames.size(), cat, num, request);
        }
    }
}
