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
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.StringJoiner;
import org.duckdb.DuckDBDriver;

/**
 * Side by side on the same ONNX model, machine and batches, at fixed offered rates with one
 * existing open-loop generator, vegeta (request k leaves at start + k/rate whatever happened to the
 * ones before it; gRPC as HTTP/2 cleartext with the framed protobuf body):
 * (a) bare ONNX Runtime (tensor creation + run + reading the score) in this JVM, no network;
 * (floor) a Vert.x server that reads the compact body and answers the ranker's answer bytes: what
 * loopback, HTTP and the generator cost on this box when the server does nothing, and (floorhop)
 * the same answered from a worker thread, as the ranker answers: what the hand-off costs;
 * (b) the ranker, readable JSON; (c) the ranker, compact columnar JSON with the item features from
 * the version's item snapshot; (grpc) the same compact form as protobuf over gRPC;
 * (d) a KServe Python model server (bench/kserve_model.py) with the Open Inference Protocol v2 JSON.
 * Run through bench/run.sh, which builds the generator, starts the ranker and the KServe server
 * and stops them.
 *
 * Args: rankerUrl model.onnx secondsPerPoint kserveUrl|- resultsFile. Prints a table and writes one
 * JSON line per (variant, candidates, rate) to resultsFile.
 */
public class RankerBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] BATCHES = {100, 1000, 5000};
    /** Offered rates per batch size (req/s); a variant's sweep stops once it is saturated. */
    private static final int[][] RATES = {{25, 50, 100, 200, 400, 800, 1600}, {10, 25, 50, 100, 200, 400, 800},
        {2, 5, 10, 20, 40, 80, 160}};
    /** Max throughput = the highest offered rate served with p99 at most this and no errors. */
    static final double SLO_P99_MS = 100;
    /** A point whose p99 is past this is saturated: higher rates are not tried. */
    private static final double SATURATED_P99_MS = 1000;
    private static final int ITEMS = 5000;
    private static final int WARM_UP_SECONDS = Integer.parseInt(System.getenv().getOrDefault("RANKOPS_BENCH_WARM_UP_SECONDS", "15"));
    private static final String JSON_TYPE = "application/json";
    private static final String GRPC_TYPE = "application/grpc";

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
                    // bodies and vegeta's raw results (which hold every answer): hundreds of MB, removed at the end
                    Path work = Files.createTempDirectory("rankops-bench-");
                    try {
                        run(http, env, session, world, ranker, kserve, seconds, results, work);
                    } finally {
                        try (var files = Files.walk(work)) {
                            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                        }
                    }
                } finally {
                    send(http, "DELETE", mlflow + "registered-models/delete", JSON.writeValueAsString(Map.of("name", modelName)), mlflowAuth);
                    minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(prefix + "model.onnx").build());
                    minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(prefix + "item_features.parquet").build());
                }
            }
        }
    }

    /** One serving variant: how the generator reaches it and with which body. */
    private record Target(String name, String url, String contentType, Path body, int bodyBytes, int answerBytes) {
    }

    private static void run(HttpClient http, OrtEnvironment env, OrtSession session, World world, String ranker,
            String kserve, int seconds, Path results, Path work) throws Exception {
        List<String> lines = new ArrayList<>();
        System.out.printf("%-10s %-8s %-7s %-28s %-11s %-7s %s%n", "candidates", "variant", "rate", "p50 / p99 / max ms",
                "achieved/s", "errors", "p50 / p99 ms inside the ranker");
        String grpcAddress = URI.create(ranker).getHost() + ":" + URI.create(ranker).getPort();
        // RANKOPS_BENCH_CANDIDATES=1000 measures only that batch size.
        String sizes = System.getenv().getOrDefault("RANKOPS_BENCH_CANDIDATES", "");
        for (int i = 0; i < BATCHES.length; i++) {
            if (!sizes.isBlank() && !List.of(sizes.split(",")).contains(Integer.toString(BATCHES[i]))) {
                continue;
            }
            Batch batch = world.batch(BATCHES[i], new Random(i));
            double[] ort = bareOrt(env, session, batch);
            System.out.printf("%-10d %-8s %-7s %-28s%n", BATCHES[i], "ort", "-", String.format("%.2f / %.2f", ort[0], ort[1]));
            lines.add(JSON.writeValueAsString(Map.of("variant", "ort", "candidates", BATCHES[i], "p50", ort[0], "p99", ort[1])));
            byte[] compact = JSON.writeValueAsBytes(batch.compact());
            // The floor answers what the ranker answers, so both move the same bytes.
            byte[] answer = send(http, "POST", ranker + "/v1/rank", new String(compact, StandardCharsets.UTF_8), null)
                    .body().getBytes(StandardCharsets.UTF_8);
            byte[] grpcBody = framed(batch.protobuf());
            int grpcAnswer = grpcAnswerBytes(grpcAddress, batch.protobuf());
            List<Target> targets = new ArrayList<>();
            targets.add(target(work, "floor", "http://127.0.0.1:" + FloorServer.PORT + "/", JSON_TYPE, BATCHES[i], compact, answer.length));
            targets.add(target(work, "floorhop", "http://127.0.0.1:" + FloorServer.PORT + "/worker", JSON_TYPE, BATCHES[i], compact,
                    answer.length));
            targets.add(target(work, "json", ranker + "/v1/rank", JSON_TYPE, BATCHES[i], JSON.writeValueAsBytes(batch.readable()), 0));
            targets.add(target(work, "compact", ranker + "/v1/rank", JSON_TYPE, BATCHES[i], compact, 0));
            targets.add(target(work, "grpc", ranker + "/rankops.ranker.v1.Ranker/Rank", GRPC_TYPE, BATCHES[i], grpcBody, grpcAnswer));
            if (kserve != null) {
                targets.add(target(work, "kserve", kserve + "/v2/models/ranker/infer", JSON_TYPE, BATCHES[i],
                        JSON.writeValueAsBytes(batch.v2()), 0));
            }
            // RANKOPS_BENCH_VARIANTS=compact,grpc measures only those (bare ORT always).
            String only = System.getenv().getOrDefault("RANKOPS_BENCH_VARIANTS", "");
            if (!only.isBlank()) {
                targets.removeIf(t -> !List.of(only.split(",")).contains(t.name()));
            }
            try (FloorServer floor = FloorServer.start(answer)) {
                for (Target target : targets) {
                    // Warm-up, not recorded: until the JIT has compiled the path, the compiler threads
                    // take a core and the first points measure interpreted code.
                    load(target, RATES[i][2], WARM_UP_SECONDS, work);
                    boolean inRanker = target.url().startsWith(ranker);
                    for (int rate : RATES[i]) {
                        Map<Double, Double> before = inRanker ? inService(http, ranker, BATCHES[i]) : null;
                        Result served = load(target, rate, seconds, work);
                        double[] inside = inRanker ? percentiles(before, inService(http, ranker, BATCHES[i])) : null;
                        System.out.printf("%-10d %-8s %-7s %-28s %-11.1f %-7s %s%n", BATCHES[i], target.name(), rate + "/s",
                                String.format("%.2f / %.2f / %.2f", served.p50, served.p99, served.max), served.achieved,
                                served.errors + "/" + served.sent,
                                inside == null ? "" : String.format("in ranker %.2f / %.2f", inside[0], inside[1]));
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("variant", target.name());
                        line.put("candidates", BATCHES[i]);
                        line.put("rate", rate);
                        line.put("p50", served.p50);
                        line.put("p99", served.p99);
                        line.put("max", served.max);
                        line.put("achieved", served.achieved);
                        line.put("errors", served.errors);
                        line.put("sent", served.sent);
                        line.put("bodyBytes", target.bodyBytes());
                        if (inside != null) {
                            line.put("inRankerP50", inside[0]);
                            line.put("inRankerP99", inside[1]);
                        }
                        lines.add(JSON.writeValueAsString(line));
                        if (served.p99 > SATURATED_P99_MS || served.errors > 0 || served.achieved < 0.9 * rate) {
                            break;
                        }
                    }
                }
            }
            Files.write(results, lines);
        }
    }

    /**
     * The ranker's own time per request (from its service call to its answer, no transport): the
     * champion's cumulative {@code rankops_ranker_rank_duration_seconds} buckets for this
     * candidate count, upper bound (s) to count.
     */
    private static Map<Double, Double> inService(HttpClient http, String ranker, int candidates) throws Exception {
        String bucket = candidates <= 20 ? "1-20" : candidates <= 100 ? "21-100" : candidates <= 500 ? "101-500"
                : candidates <= 1000 ? "501-1000" : candidates <= 5000 ? "1001-5000" : "5001+";
        String prefix = "rankops_ranker_rank_duration_seconds_bucket{";
        Map<Double, Double> counts = new java.util.TreeMap<>();
        for (String line : send(http, "GET", ranker + "/q/metrics", "", null).body().split("\n")) {
            if (line.startsWith(prefix) && line.contains("arm=\"champion\"") && line.contains("candidates=\"" + bucket + "\"")) {
                String le = line.substring(line.indexOf("le=\"") + 4, line.indexOf('"', line.indexOf("le=\"") + 4));
                counts.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return counts;
    }

    /** p50 and p99 (ms) of what was counted between two bucket readings, interpolated inside a bucket. */
    private static double[] percentiles(Map<Double, Double> before, Map<Double, Double> after) {
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        double[] out = new double[2];
        double[] quantiles = {0.5, 0.99};
        for (int q = 0; q < 2; q++) {
            double lower = 0;
            double below = 0;
            out[q] = Double.NaN;
            for (Map.Entry<Double, Double> bucket : after.entrySet()) {
                double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
                if (total > 0 && count >= quantiles[q] * total) {
                    double upper = bucket.getKey().isInfinite() ? lower : bucket.getKey();
                    double share = count == below ? 1 : (quantiles[q] * total - below) / (count - below);
                    out[q] = (lower + share * (upper - lower)) * 1e3;
                    break;
                }
                lower = bucket.getKey();
                below = count;
            }
        }
        return out;
    }

    private static Target target(Path work, String name, String url, String contentType, int candidates, byte[] body,
            int answerBytes) throws Exception {
        Path file = work.resolve(name + "-" + candidates + ".body");
        Files.write(file, body);
        return new Target(name, url, contentType, file, body.length, answerBytes);
    }

    /** A gRPC message on the wire: uncompressed flag, 4-byte big-endian length, the protobuf bytes. */
    private static byte[] framed(byte[] message) {
        return java.nio.ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
    }

    /**
     * One call through a real gRPC client first: the ranker must answer OK with every item. Its
     * answer's size on the wire is what the generator must read back for each request it counts as
     * answered (a gRPC refusal is HTTP 200 with a status trailer and no message).
     */
    private static int grpcAnswerBytes(String address, byte[] message) throws Exception {
        io.grpc.ManagedChannel channel = io.grpc.netty.NettyChannelBuilder.forTarget(address).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        try {
            io.rankops.ranker.grpc.RankRequest request = io.rankops.ranker.grpc.RankRequest.parseFrom(message);
            io.rankops.ranker.grpc.RankResponse answer = io.rankops.ranker.grpc.RankerGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).rank(request);
            if (answer.getItemIdsCount() != request.getItemIdsCount() || answer.getScoresCount() != request.getItemIdsCount()) {
                throw new IllegalStateException("gRPC answered " + answer.getItemIdsCount() + " items for "
                        + request.getItemIdsCount());
            }
            // the same items, a fresh UUID and token each time: every answer is this long on the wire
            return answer.getSerializedSize() + 5;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Tensor creation + one session run + reading the score, as the ranker does per request. */
    private static double[] bareOrt(OrtEnvironment env, OrtSession session, Batch batch) throws Exception {
        int runs = batch.rows >= 5000 ? 100 : 400;
        long[] times = new long[runs];
        for (int run = -runs / 4; run < runs; run++) {
            long start = System.nanoTime();
            try (OnnxTensor cat = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.cat), new long[] {batch.rows, batch.nCat});
                    OnnxTensor num = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.num), new long[] {batch.rows, batch.nNum});
                    OrtSession.Result result = session.run(Map.of("cat_features", cat, "num_features", num), Set.of("score"))) {
                ((OnnxTensor) result.get(0)).getFloatBuffer();
            }
            if (run >= 0) {
                times[run] = System.nanoTime() - start;
            }
        }
        return percentiles(times);
    }

    /**
     * One fixed-rate open-loop point with vegeta, the same generator for every variant: request k
     * leaves at start + k/rate whatever happened to the earlier ones (it adds workers rather than
     * wait). gRPC is HTTP/2 cleartext with the framed message as the body; an answer shorter than
     * a full ranked list (a status trailer without a message) counts as an error.
     */
    private static Result load(Target target, int rate, int seconds, Path work) throws Exception {
        String bin = env("RANKOPS_BENCH_BIN");
        Path targets = work.resolve(target.name() + ".targets");
        boolean grpc = target.contentType().equals(GRPC_TYPE);
        Files.writeString(targets, "POST " + target.url() + "\nContent-Type: " + target.contentType() + "\n"
                + (grpc ? "TE: trailers\n" : "") + "@" + target.body() + "\n");
        Path raw = work.resolve(target.name() + ".results");
        List<String> attack = new ArrayList<>(List.of(bin + "/vegeta", "attack", "-rate=" + rate + "/1s", "-duration=" + seconds + "s",
                "-timeout=10s", "-max-workers=1024", "-targets=" + targets, "-output=" + raw));
        if (grpc) {
            attack.add("-h2c");
        } else {
            attack.add("-http2=false");
        }
        run(attack);
        JsonNode report = JSON.readTree(run(List.of(bin + "/vegeta", "report", "-type=json", raw.toString())));
        JsonNode latencies = report.path("latencies");
        int sent = report.path("requests").asInt();
        int ok = report.path("status_codes").path("200").asInt();
        int errors = sent - ok;
        if (grpc) {
            // every answered call read a whole ranked list, or some were refusals
            errors = report.path("bytes_in").path("mean").asDouble() >= 0.99 * target.answerBytes() ? errors : Math.max(errors, 1);
        }
        return new Result(latencies.path("50th").asDouble() / 1e6, latencies.path("99th").asDouble() / 1e6,
                latencies.path("max").asDouble() / 1e6, errors, sent, report.path("throughput").asDouble());
    }

    private static byte[] run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue());
        }
        return out;
    }

    /**
     * The floor: a Vert.x HTTP server (the ranker's own HTTP stack) that reads the compact body and
     * answers the ranker's answer bytes without doing anything else. What the same generator
     * measures against it is what the box's loopback, HTTP and the generator cost.
     */
    private static final class FloorServer implements AutoCloseable {
        static final int PORT = Integer.parseInt(System.getenv().getOrDefault("RANKOPS_BENCH_FLOOR_PORT", "18095"));
        private final io.vertx.core.Vertx vertx;

        private FloorServer(io.vertx.core.Vertx vertx) {
            this.vertx = vertx;
        }

        static FloorServer start(byte[] answer) throws Exception {
            io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
            io.vertx.core.buffer.Buffer body = io.vertx.core.buffer.Buffer.buffer(answer);
            // /worker answers from a worker thread, as the ranker's blocking endpoints do: the hand-off's own cost
            vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(ignored -> {
                if (request.path().equals("/worker")) {
                    vertx.executeBlocking(() -> body, false).onSuccess(answerBody -> request.response()
                            .putHeader("content-type", "application/json").end(answerBody));
                } else {
                    request.response().putHeader("content-type", "application/json").end(body);
                }
            })).listen(PORT, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new FloorServer(vertx);
        }

        @Override
        public void close() throws Exception {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
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

    private record Result(double p50, double p99, double max, int errors, int sent, double achieved) {
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

        /** The compact form as the gRPC path's protobuf message (src/main/proto/rank.proto). */
        byte[] protobuf() {
            io.rankops.ranker.grpc.RankRequest.Builder request = io.rankops.ranker.grpc.RankRequest.newBuilder()
                    .setUserId(42L).setRegion(world.region());
            for (long id = 0; id < rows; id++) {
                request.addItemIds(id);
            }
            context.forEach((name, value) -> request.putContext(name, value.doubleValue()));
            perCandidate.forEach((name, values) -> {
                io.rankops.ranker.grpc.Column.Builder column = io.rankops.ranker.grpc.Column.newBuilder();
                for (double value : values) {
                    column.addValues(value);
                }
                request.putCandidateFeatures(name, column.build());
            });
            return request.build().toByteArray();
        }

        /** Open Inference Protocol v2 JSON, the KServe server's format. */
        Map<String, Object> v2() {
            return Map.of("inputs", List.of(
                    Map.of("name", "cat_features", "shape", List.of(rows, nCat), "datatype", "INT64", "data", cat),
                    Map.of("name", "num_features", "shape", List.of(rows, nNum), "datatype", "FP32", "data", num)));
        }
    }
}
