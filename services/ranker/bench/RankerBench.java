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
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.StringJoiner;
import org.duckdb.DuckDBDriver;

/**
 * Side by side on the same ONNX model, machine and batches, with the same open-loop load generator
 * at fixed rates (request k is due at start + k/rate; its latency counts from when it was due, so
 * a stalled server is not hidden by a sender that waits for it):
 * (a) bare ONNX Runtime (tensor creation + run + reading the score), (b) the ranker, readable JSON,
 * (c) the ranker, compact columnar JSON with the item features from the version's item snapshot,
 * (d) a KServe Python model server (bench/kserve_model.py) with the Open Inference Protocol v2 JSON.
 * Run through bench/run.sh, which starts the ranker and the KServe server and stops them.
 *
 * Args: rankerUrl model.onnx secondsPerPoint kserveUrl|- resultsFile. Prints a table and writes one
 * JSON line per (variant, candidates, rate) to resultsFile.
 */
public class RankerBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] BATCHES = {100, 1000, 5000};
    /** Offered rates per batch size (req/s); a variant's sweep stops once it is saturated. */
    private static final int[][] RATES = {{25, 50, 100, 200, 400, 800}, {10, 25, 50, 100, 200, 400}, {2, 5, 10, 20, 40, 80}};
    /** Max throughput = the highest offered rate served with p99 at most this and no errors. */
    static final double SLO_P99_MS = 100;
    /** A point whose p99 is past this is saturated: higher rates are not tried. */
    private static final double SATURATED_P99_MS = 1000;
    private static final int ITEMS = 5000;

    public static void main(String[] args) throws Exception {
        int status = 1;
        try {
            bench(args);
            status = 0;
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            System.exit(status); // the HTTP client's and senders' threads would keep the JVM alive
        }
    }

    private static void bench(String[] args) throws Exception {
        String ranker = args[0];
        Path modelPath = Path.of(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String kserve = args.length > 3 && !args[3].equals("-") ? args[3] : null;
        Path results = Path.of(args.length > 4 ? args[4] : "bench-results.jsonl");
        byte[] onnx = Files.readAllBytes(modelPath);
        String modelName = env("RANKOPS_RANKER_MODEL_NAME");
        String host = env("RANKOPS_HOST");
        String mlflow = "http://" + host + ":" + env("RANKOPS_MLFLOW_PORT") + "/api/2.0/mlflow/";
        // MLflow refuses anonymous writes: the bench registers its model with the suites' account.
        String mlflowAuth = "Basic " + Base64.getEncoder().encodeToString((env("RANKOPS_MLFLOW_TEST_USER") + ":"
                + env("RANKOPS_MLFLOW_TEST_PASSWORD")).getBytes(StandardCharsets.UTF_8));
        String bucket = env("RANKOPS_BUCKET");
        String prefix = "bench/ranker-" + System.currentTimeMillis() + "/";
        MinioClient minio = MinioClient.builder().endpoint("http://" + host + ":" + env("RANKOPS_MINIO_PORT"))
                .credentials(env("RANKOPS_MINIO_USER"), env("RANKOPS_MINIO_PASSWORD")).build();
        // HTTP/1.1 for every server: the JDK client would otherwise offer an h2c upgrade, which uvicorn (KServe) mishandles.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(8)).build();
        String admin = "Basic " + Base64.getEncoder().encodeToString((System.getenv().getOrDefault("RANKOPS_RANKER_ADMIN_USER", "rankops-worker")
                + ":" + System.getenv().getOrDefault("RANKOPS_RANKER_ADMIN_PASSWORD", "rankops-local-ranker-admin")).getBytes(StandardCharsets.UTF_8));

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1); // as the ranker's default rankops.ranker.onnx-intra-op-threads
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx, options)) {
                JsonNode spec = JSON.readTree(session.getMetadata().getCustomMetadata().get("rankops.feature_spec"));
                World world = World.random(spec, new Random(17));
                byte[] snapshot = world.snapshotParquet();
                put(minio, bucket, prefix + "model.onnx", onnx);
                put(minio, bucket, prefix + "item_features.parquet", snapshot);
                try {
                    post(http, mlflow + "registered-models/create", Map.of("name", modelName), mlflowAuth);
                    List<Map<String, String>> tags = List.of(
                            Map.of("key", "rankops.item_snapshot_uri", "value", "s3://" + bucket + "/" + prefix + "item_features.parquet"),
                            Map.of("key", "rankops.item_snapshot_sha256", "value", sha256(snapshot)));
                    String version = post(http, mlflow + "model-versions/create", Map.of("name", modelName,
                            "source", "s3://" + bucket + "/" + prefix + "model.onnx", "tags", tags), mlflowAuth)
                            .path("model_version").path("version").asText();
                    post(http, mlflow + "registered-models/alias", Map.of("name", modelName, "alias", "champion", "version", version), mlflowAuth);
                    JsonNode models = post(http, ranker + "/admin/models/reload", Map.of(), admin);
                    System.out.printf("ranker serves champion version %s (%s), item snapshot of %s items%n",
                            models.path("champion").path("version").asText(), models.path("champion").path("family").asText(),
                            models.path("champion").path("itemSnapshotItems").asText());
                    run(http, env, session, world, ranker, kserve, seconds, results);
                } finally {
                    send(http, "DELETE", mlflow + "registered-models/delete", JSON.writeValueAsString(Map.of("name", modelName)), mlflowAuth);
                    minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(prefix + "model.onnx").build());
                    minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(prefix + "item_features.parquet").build());
                }
            }
        }
    }

    private static void run(HttpClient http, OrtEnvironment env, OrtSession session, World world, String ranker,
            String kserve, int seconds, Path results) throws Exception {
        List<String> lines = new ArrayList<>();
        System.out.printf("%-10s %-8s %-7s %-20s %-12s %s%n", "candidates", "variant", "rate", "p50 / p99 ms", "achieved/s", "errors");
        for (int i = 0; i < BATCHES.length; i++) {
            Batch batch = world.batch(BATCHES[i], new Random(i));
            double[] ort = bareOrt(env, session, batch);
            System.out.printf("%-10d %-8s %-7s %-20s%n", BATCHES[i], "ort", "-", String.format("%.2f / %.2f", ort[0], ort[1]));
            lines.add(JSON.writeValueAsString(Map.of("variant", "ort", "candidates", BATCHES[i], "p50", ort[0], "p99", ort[1])));
            Map<String, String[]> targets = new LinkedHashMap<>();
            targets.put("json", new String[] {ranker + "/v1/rank", JSON.writeValueAsString(batch.readable())});
            targets.put("compact", new String[] {ranker + "/v1/rank", JSON.writeValueAsString(batch.compact())});
            if (kserve != null) {
                targets.put("kserve", new String[] {kserve + "/v2/models/ranker/infer", JSON.writeValueAsString(batch.v2())});
            }
            for (Map.Entry<String, String[]> target : targets.entrySet()) {
                for (int rate : RATES[i]) {
                    Result served = serve(http, target.getValue()[0], target.getValue()[1], rate, seconds);
                    System.out.printf("%-10d %-8s %-7s %-20s %-12.1f %d/%d%n", BATCHES[i], target.getKey(), rate + "/s",
                            String.format("%.2f / %.2f", served.p50, served.p99), served.achieved, served.errors, served.sent);
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("variant", target.getKey());
                    line.put("candidates", BATCHES[i]);
                    line.put("rate", rate);
                    line.put("p50", served.p50);
                    line.put("p99", served.p99);
                    line.put("achieved", served.achieved);
                    line.put("errors", served.errors);
                    line.put("sent", served.sent);
                    line.put("bodyBytes", target.getValue()[1].length());
                    lines.add(JSON.writeValueAsString(line));
                    if (served.p99 > SATURATED_P99_MS || served.errors > 0) {
                        break;
                    }
                }
            }
            Files.write(results, lines);
        }
    }

    /** Tensor creation + one session run + reading the outputs, as the ranker does per request. */
    private static double[] bareOrt(OrtEnvironment env, OrtSession session, Batch batch) throws Exception {
        int runs = batch.rows >= 5000 ? 100 : 400;
        long[] times = new long[runs];
        for (int run = -runs / 4; run < runs; run++) {
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
    private static Result serve(HttpClient http, String url, String body, int rate, int seconds) throws Exception {
        warmUp(http, url, body);
        int total = Math.max(rate * seconds, 20);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(64);
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
                    HttpResponse<String> response = send(http, "POST", url, body, null);
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
        if (!senders.awaitTermination(30, TimeUnit.SECONDS)) {
            senders.shutdownNow();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] done = latencies.stream().mapToLong(Long::longValue).toArray();
        int unfinished = total - done.length;
        double[] p = done.length == 0 ? new double[] {Double.NaN, Double.NaN} : percentiles(done);
        return new Result(p[0], p[1], errors.get() + unfinished, total, done.length / elapsed);
    }

    private static void warmUp(HttpClient http, String url, String body) throws Exception {
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = send(http, "POST", url, body, null);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("POST " + url + " -> " + response.statusCode() + ": "
                        + response.body().substring(0, Math.min(500, response.body().length())));
            }
        }
    }

    private static double[] percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[(int) Math.floor(0.50 * (sorted.length - 1))] / 1e6,
                sorted[(int) Math.floor(0.99 * (sorted.length - 1))] / 1e6};
    }

    private static void put(MinioClient minio, String bucket, String key, byte[] bytes) throws Exception {
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static JsonNode post(HttpClient http, String url, Map<String, ?> body, String auth) throws Exception {
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

    private record Result(double p50, double p99, int errors, int sent, double achieved) {
    }

    /**
     * The model's features split as the spec's sources say (a spec without them: every
     * non-request feature is an item feature), with {@value #ITEMS} items whose item features are
     * fixed (the snapshot) and random per-request context and per-candidate features.
     */
    private record World(List<String> catNames, List<Integer> cardinality, List<String> numNames, String regionColumn,
            String region, List<String> itemFeatures, List<String> candidateFeatures, Map<String, double[]> items) {

        static World random(JsonNode spec, Random random) {
            List<String> catNames = new ArrayList<>();
            List<Integer> cardinality = new ArrayList<>();
            spec.path("categorical").forEach(c -> {
                catNames.add(c.path("name").asText());
                cardinality.add(c.path("cardinality").asInt());
            });
            List<String> numNames = new ArrayList<>();
            spec.path("numerical").forEach(n -> numNames.add(n.asText()));
            List<String> itemFeatures = new ArrayList<>();
            spec.path("item_features").forEach(n -> itemFeatures.add(n.asText()));
            List<String> candidateFeatures = new ArrayList<>();
            spec.path("candidate_features").forEach(n -> candidateFeatures.add(n.asText()));
            if (itemFeatures.isEmpty()) {
                throw new IllegalArgumentException("the bench model's feature spec declares no item_features"
                        + " (use services/ranker/src/test/resources/models/shared_bottom_sources.onnx)");
            }
            Map<String, double[]> items = new LinkedHashMap<>();
            for (String name : itemFeatures) {
                double[] values = new double[ITEMS];
                int c = catNames.indexOf(name);
                for (int i = 0; i < ITEMS; i++) {
                    values[i] = c >= 0 ? random.nextInt(cardinality.get(c)) : (float) random.nextGaussian();
                }
                items.put(name, values);
            }
            return new World(catNames, cardinality, numNames, spec.path("region_column").asText(),
                    spec.path("regions").get(0).asText(), itemFeatures, candidateFeatures, items);
        }

        byte[] snapshotParquet() throws Exception {
            StringJoiner rows = new StringJoiner(", ");
            for (int i = 0; i < ITEMS; i++) {
                StringJoiner row = new StringJoiner(", ", "(", ")");
                row.add(Integer.toString(i));
                for (String name : itemFeatures) {
                    double v = items.get(name)[i];
                    row.add(catNames.contains(name) ? Long.toString((long) v) : Double.toString(v));
                }
                rows.add(row.toString());
            }
            StringJoiner columns = new StringJoiner(", ");
            StringJoiner names = new StringJoiner(", ");
            columns.add("item_id::BIGINT AS item_id");
            names.add("item_id");
            for (String name : itemFeatures) {
                columns.add(name + "::" + (catNames.contains(name) ? "BIGINT" : "FLOAT") + " AS " + name);
                names.add(name);
            }
            Path file = Files.createTempFile("rankops-bench-items-", ".parquet");
            try (Connection duck = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                    Statement sql = duck.createStatement()) {
                sql.execute("COPY (SELECT " + columns + " FROM (VALUES " + rows + ") v(" + names + ") ORDER BY item_id) TO '"
                        + file + "' (FORMAT parquet)");
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        }

        /** Items 0..rows-1 of the world, one random request context, random per-candidate features. */
        Batch batch(int rows, Random random) {
            Map<String, Number> context = new LinkedHashMap<>();
            for (int c = 0; c < catNames.size(); c++) {
                String name = catNames.get(c);
                if (isContext(name)) {
                    context.put(name, (long) random.nextInt(cardinality.get(c)));
                }
            }
            for (String name : numNames) {
                if (isContext(name)) {
                    context.put(name, (float) random.nextGaussian());
                }
            }
            Map<String, double[]> perCandidate = new LinkedHashMap<>();
            for (String name : candidateFeatures) {
                double[] values = new double[rows];
                int c = catNames.indexOf(name);
                for (int r = 0; r < rows; r++) {
                    values[r] = c >= 0 ? random.nextInt(cardinality.get(c)) : (float) random.nextGaussian();
                }
                perCandidate.put(name, values);
            }
            long[] cat = new long[rows * catNames.size()];
            float[] num = new float[rows * numNames.size()];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < catNames.size(); c++) {
                    cat[r * catNames.size() + c] = (long) value(catNames.get(c), r, context, perCandidate);
                }
                for (int c = 0; c < numNames.size(); c++) {
                    num[r * numNames.size() + c] = (float) value(numNames.get(c), r, context, perCandidate);
                }
            }
            return new Batch(this, rows, catNames.size(), numNames.size(), cat, num, context, perCandidate);
        }

        boolean isContext(String name) {
            return !name.equals("item_id") && !name.equals(regionColumn) && !itemFeatures.contains(name)
                    && !candidateFeatures.contains(name);
        }

        double value(String name, int row, Map<String, Number> context, Map<String, double[]> perCandidate) {
            if (name.equals("item_id")) {
                return row;
            }
            if (name.equals(regionColumn)) {
                return 0;
            }
            if (items.containsKey(name)) {
                return items.get(name)[row];
            }
            if (perCandidate.containsKey(name)) {
                return perCandidate.get(name)[row];
            }
            return context.get(name).doubleValue();
        }
    }

    /** One request's candidates: the same values as tensors (bare ORT) and in each request format. */
    private record Batch(World world, int rows, int nCat, int nNum, long[] cat, float[] num, Map<String, Number> context,
            Map<String, double[]> perCandidate) {

        Map<String, Object> readable() {
            List<Map<String, Object>> candidates = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                Map<String, Number> features = new LinkedHashMap<>();
                for (int c = 0; c < nCat; c++) {
                    String name = world.catNames().get(c);
                    if (!name.equals(world.regionColumn()) && !world.isContext(name)) {
                        features.put(name, cat[r * nCat + c]);
                    }
                }
                for (int c = 0; c < nNum; c++) {
                    String name = world.numNames().get(c);
                    if (!world.isContext(name)) {
                        features.put(name, num[r * nNum + c]);
                    }
                }
                candidates.add(Map.of("itemId", (long) r, "features", features));
            }
            return Map.of("userId", 42L, "region", world.region(), "context", context, "candidates", candidates);
        }

        Map<String, Object> compact() {
            long[] ids = new long[rows];
            Arrays.setAll(ids, i -> i);
            return Map.of("userId", 42L, "region", world.region(), "context", context, "itemIds", ids,
                    "candidateFeatures", perCandidate, "probabilities", false);
        }

        /** Open Inference Protocol v2 JSON, the KServe server's format. */
        Map<String, Object> v2() {
            return Map.of("inputs", List.of(
                    Map.of("name", "cat_features", "shape", List.of(rows, nCat), "datatype", "INT64", "data", cat),
                    Map.of("name", "num_features", "shape", List.of(rows, nNum), "datatype", "FP32", "data", num)));
        }
    }
}
