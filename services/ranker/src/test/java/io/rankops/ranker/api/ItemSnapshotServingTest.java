package io.rankops.ranker.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.rankops.ranker.grpc.Column;
import io.rankops.ranker.grpc.RankerGrpc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rankops.ranker.support.ItemSnapshots;
import io.rankops.ranker.support.ParityVectors;
import io.rankops.ranker.support.RankerAdmin;
import io.rankops.ranker.support.StackFixture;
import io.rankops.ranker.support.UniqueModelProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The item snapshot served with its model (shared_bottom_sources.onnx: shared_bottom with feature
 * sources in its spec, so the parity vectors hold) and the compact request form: parity with the
 * readable form and Python, overrides, refusals with messages, unknown ids, the deadline, and a
 * swap of model and snapshot under concurrent traffic; and the same compact form as protobuf over
 * gRPC on the HTTP port (src/main/proto/rank.proto): the same scores, refusals and bounds.
 */
@QuarkusTest
@TestProfile(ItemSnapshotServingTest.Profile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ItemSnapshotServingTest {

    public static class Profile extends UniqueModelProfile {
    }

    private static final double TOLERANCE = 1e-5;
    private static final int RANKING_THREADS = 4;
    /** Per-candidate in the parity cases (each case has its own user and query): not item features. */
    private static final List<String> PER_CASE = List.of("user_id", "query_id", "query_category_id", "device",
            "user_segment", "shipping_days", "text_relevance", "query_category_match", "user_activity",
            "user_price_level", "hour_of_day");

    @ConfigProperty(name = "rankops.ranker.model-name")
    String modelName;
    @TestHTTPResource("/v1/rank")
    URL rankUrl;

    private final List<ParityVectors.Case> cases = ParityVectors.load("shared_bottom.parity.json").cases();
    private final ObjectMapper json = new ObjectMapper();
    private StackFixture stack;
    private String first;
    private ManagedChannel grpcChannel;
    private RankerGrpc.RankerBlockingStub grpc;

    @BeforeEach
    void registerChampionWithSnapshot() {
        if (stack != null) {
            return;
        }
        stack = new StackFixture(modelName);
        first = versionWithSnapshot(ItemSnapshots.parquet(cases));
        stack.setAlias("champion", first);
        RankerAdmin.request().post("/admin/models/reload").then().statusCode(200)
                .body("champion.version", equalTo(first)).body("champion.itemSnapshotItems", equalTo(cases.size()));
        grpcChannel = NettyChannelBuilder.forAddress(rankUrl.getHost(), rankUrl.getPort()).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
        grpc = RankerGrpc.newBlockingStub(grpcChannel);
    }

    @AfterAll
    void removeModel() throws InterruptedException {
        grpcChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        stack.close();
    }

    @Test
    void grpcScoresAsTheJsonPathAndPython() {
        for (Map.Entry<String, List<Integer>> region : rowsByRegion().entrySet()) {
            List<Integer> rows = region.getValue();
            Map<String, Object> body = compactBody(region.getKey(), rows);
            JsonPath json = rank(body);
            io.rankops.ranker.grpc.RankResponse binary = grpc.rank(protobuf(body).setProbabilities(true).build());

            assertEquals("champion", binary.getArm());
            assertEquals(first, binary.getModelVersion());
            assertTrue(binary.getFeedbackToken().length() > 16, "a feedback token for the gRPC-ranked list");
            List<Map<String, Object>> items = json.getList("items");
            assertEquals(rows.size(), binary.getItemIdsCount());
            assertEquals(rows.size(), binary.getScoresCount());
            for (int position = 0; position < items.size(); position++) {
                long itemId = binary.getItemIds(position);
                assertEquals(((Number) items.get(position).get("itemId")).longValue(), itemId, "same order as JSON");
                assertEquals(((Number) items.get(position).get("score")).floatValue(), binary.getScores(position), 1e-7);
                ParityVectors.Case expected = caseOf(itemId);
                assertEquals(expected.expected().get("score"), binary.getScores(position), TOLERANCE, "Python's score");
                for (String task : List.of("click", "cart", "purchase")) {
                    assertEquals(expected.expected().get("p_" + task),
                            binary.getProbabilitiesOrThrow(task).getValues(position), TOLERANCE, task);
                }
            }
        }
        io.rankops.ranker.grpc.RankResponse scoreOnly = grpc.rank(protobuf(compactBody("US", rowsByRegion().get("US"))).build());
        assertEquals(0, scoreOnly.getProbabilitiesCount(), "probabilities only when asked for");
    }

    @Test
    void grpcRefusalsCarryTheJsonPathsMessages() {
        List<Integer> rows = rowsByRegion().get("US");
        Map<String, Object> twice = compactBody("US", rows.subList(0, 2));
        long id = cases.get(rows.get(0)).features().get("item_id").longValue();
        twice.put("itemIds", new long[] {id, id});
        grpcRefused(protobuf(twice), Status.Code.INVALID_ARGUMENT, "itemId " + id + " is listed twice");
        grpcRefused(protobuf(compactBody("US", rows)).clearUserId(), Status.Code.INVALID_ARGUMENT, "userId is required");
        grpcRefused(protobuf(compactBody("US", rows)).setRegion("XX"), Status.Code.INVALID_ARGUMENT, "unknown region 'XX'");
        grpcRefused(protobuf(compactBody("US", rows)).setDeadlineMs(0), Status.Code.INVALID_ARGUMENT,
                "deadlineMs must be at least 1");

        io.rankops.ranker.grpc.RankRequest.Builder tooMany = io.rankops.ranker.grpc.RankRequest.newBuilder()
                .setUserId(3).setRegion("US");
        IntStream.range(0, 5001).forEach(tooMany::addItemIds);
        grpcRefused(tooMany, Status.Code.RESOURCE_EXHAUSTED, "5001 candidates; at most 5000 per request");

        io.rankops.ranker.grpc.RankRequest.Builder ranked = protobuf(compactBody("US", rows)).setRequestId("grpc-once");
        grpc.rank(ranked.build());
        grpcRefused(ranked, Status.Code.ALREADY_EXISTS, "requestId 'grpc-once' was ranked already");

        // 5 MiB of one column is past quarkus.grpc.server.max-inbound-message-size (4 MiB): refused unread.
        io.rankops.ranker.grpc.RankRequest.Builder huge = protobuf(compactBody("US", rows));
        Column.Builder big = Column.newBuilder();
        for (int i = 0; i < 5 * 1024 * 1024 / 8; i++) {
            big.addValues(i);
        }
        huge.putCandidateFeatures("text_relevance", big.build());
        StatusRuntimeException tooLarge = assertThrows(StatusRuntimeException.class, () -> grpc.rank(huge.build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooLarge.getStatus().getCode(), tooLarge.toString());
    }

    private void grpcRefused(io.rankops.ranker.grpc.RankRequest.Builder request, Status.Code code, String message) {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> grpc.rank(request.build()));
        assertEquals(code, refused.getStatus().getCode(), refused.toString());
        assertTrue(String.valueOf(refused.getStatus().getDescription()).contains(message), refused.toString());
    }

    /** The compact JSON body as the protobuf request (context and columns as doubles). */
    @SuppressWarnings("unchecked")
    private static io.rankops.ranker.grpc.RankRequest.Builder protobuf(Map<String, Object> body) {
        io.rankops.ranker.grpc.RankRequest.Builder request = io.rankops.ranker.grpc.RankRequest.newBuilder()
                .setUserId(((Number) body.get("userId")).longValue()).setRegion((String) body.get("region"));
        for (long itemId : (long[]) body.get("itemIds")) {
            request.addItemIds(itemId);
        }
        Map<String, double[]> columns = (Map<String, double[]>) body.getOrDefault("candidateFeatures", Map.of());
        columns.forEach((name, values) -> {
            Column.Builder column = Column.newBuilder();
            for (double value : values) {
                column.addValues(value);
            }
            request.putCandidateFeatures(name, column.build());
        });
        return request;
    }

    private String versionWithSnapshot(byte[] snapshot) {
        String uri = stack.upload(snapshot, "item_features.parquet");
        return stack.addVersion(StackFixture.resource("shared_bottom_sources.onnx"), ItemSnapshots.tags(uri, snapshot));
    }

    @Test
    void compactFormScoresAsTheReadableFormAndPython() {
        for (Map.Entry<String, List<Integer>> region : rowsByRegion().entrySet()) {
            List<Integer> rows = region.getValue();
            JsonPath compact = rank(compactBody(region.getKey(), rows));
            JsonPath readable = rank(readableBody(region.getKey(), rows));

            assertEquals("champion", compact.getString("arm"));
            assertEquals(first, compact.getString("modelVersion"));
            List<Map<String, Object>> items = compact.getList("items");
            List<Map<String, Object>> readableItems = readable.getList("items");
            assertEquals(rows.size(), items.size());
            for (int position = 0; position < items.size(); position++) {
                Map<String, Object> item = items.get(position);
                ParityVectors.Case expected = caseOf(((Number) item.get("itemId")).longValue());
                float score = ((Number) item.get("score")).floatValue();
                assertEquals(expected.expected().get("score"), score, TOLERANCE, "Python's score, item " + item.get("itemId"));
                assertEquals(readableItems.get(position).get("itemId"), item.get("itemId"), "same order in both forms");
                assertEquals(((Number) readableItems.get(position).get("score")).floatValue(), score, 1e-7,
                        "same score in both forms");
                @SuppressWarnings("unchecked")
                Map<String, Number> probabilities = (Map<String, Number>) item.get("probabilities");
                for (String task : List.of("click", "cart", "purchase")) {
                    assertEquals(expected.expected().get("p_" + task), probabilities.get(task).floatValue(), TOLERANCE);
                }
            }
        }
    }

    @Test
    void probabilitiesCanBeLeftOut() {
        Map<String, Object> body = compactBody("US", rowsByRegion().get("US"));
        body.put("probabilities", false);
        given().contentType(ContentType.JSON).body(body).post("/v1/rank").then().statusCode(200)
                .body("items[0].score", org.hamcrest.Matchers.notNullValue())
                .body("items[0].probabilities", nullValue())
                .body("items[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("probabilities")));
    }

    @Test
    void overridesReplaceOverridableSnapshotValues() {
        List<Integer> rows = rowsByRegion().get("FR");
        // a live price: every candidate's log_price from another case
        double[] livePrice = rows.stream().mapToDouble(r -> cases.get((r + 1) % cases.size()).features()
                .get("log_price").doubleValue()).toArray();
        Map<String, Object> compact = compactBody("FR", rows);
        compact.put("overrides", Map.of("log_price", livePrice));
        Map<String, Object> readable = readableBody("FR", rows);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> candidates = (List<Map<String, Object>>) readable.get("candidates");
        for (int i = 0; i < rows.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Number> features = (Map<String, Number>) candidates.get(i).get("features");
            features.put("log_price", livePrice[i]);
        }
        assertEquals(scoresByItem(rank(readable)), scoresByItem(rank(compact)));
        assertNotEquals(scoresByItem(rank(readableBody("FR", rows))), scoresByItem(rank(compact)),
                "the override changes the scores");
    }

    @Test
    void refusalsNameWhatIsWrong() {
        List<Integer> rows = rowsByRegion().get("US");
        Map<String, Object> snapshotFeature = compactBody("US", rows);
        @SuppressWarnings("unchecked")
        Map<String, double[]> columns = (Map<String, double[]>) snapshotFeature.get("candidateFeatures");
        columns.put("log_price", new double[rows.size()]);
        refused(snapshotFeature, 400, "candidateFeatures.log_price is an item feature served from");

        Map<String, Object> notOverridable = compactBody("US", rows);
        notOverridable.put("overrides", Map.of("item_rating", new double[rows.size()]));
        refused(notOverridable, 400, "overrides.item_rating");

        Map<String, Object> shortColumn = compactBody("US", rows);
        shortColumn.put("candidateFeatures", Map.of("text_relevance", new double[1]));
        refused(shortColumn, 400, "candidateFeatures.text_relevance has 1 values; itemIds has " + rows.size());

        Map<String, Object> both = compactBody("US", rows);
        both.put("candidates", List.of());
        refused(both, 400, "not both");

        Map<String, Object> twice = compactBody("US", rows.subList(0, 2));
        long id = cases.get(rows.get(0)).features().get("item_id").longValue();
        twice.put("itemIds", new long[] {id, id});
        refused(twice, 400, "itemId " + id + " is listed twice");

        Map<String, Object> missing = compactBody("US", rows);
        @SuppressWarnings("unchecked")
        Map<String, double[]> without = (Map<String, double[]>) missing.get("candidateFeatures");
        without.remove("hour_of_day");
        refused(missing, 400, "missing feature 'hour_of_day'");

        Map<String, Object> tooMany = new LinkedHashMap<>();
        tooMany.put("userId", 3);
        tooMany.put("region", "US");
        tooMany.put("itemIds", IntStream.range(0, 5001).asLongStream().toArray());
        refused(tooMany, 413, "5001 candidates; at most 5000 per request (rankops.ranker.max-candidates)");
    }

    @Test
    void unknownItemsGetTheDefaultRowAndAreCounted() {
        double before = unknownItemsCounted();
        List<Integer> rows = rowsByRegion().get("NL");
        Map<String, Object> body = compactBody("NL", rows);
        long[] ids = (long[]) body.get("itemIds");
        ids[0] = 987_654_321L;
        ids[1] = 987_654_322L;
        JsonPath ranked = rank(body);
        assertEquals(rows.size(), ranked.getList("items").size());
        assertEquals(before + 2, unknownItemsCounted(), 1e-9);
    }

    @Test
    void pastTheDeadlineTheCallersOrderIsAnsweredAndCounted() {
        int n = 5000;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", 11);
        body.put("region", "US");
        Map<String, Number> context = new HashMap<>();
        ParityVectors.Case a = cases.get(0);
        PER_CASE.forEach(f -> context.put(f, a.features().get(f)));
        body.put("context", context);
        long[] ids = IntStream.range(0, n).asLongStream().map(i -> 10_000 + i).toArray();
        body.put("itemIds", ids);
        body.put("deadlineMs", 1);
        body.put("probabilities", false);
        JsonPath ranked = rank(body);
        assertEquals(true, ranked.getBoolean("timedOut"));
        assertEquals("champion", ranked.getString("arm"));
        List<Number> order = ranked.getList("items.itemId");
        for (int i = 0; i < n; i += 997) {
            assertEquals(ids[i], order.get(i).longValue(), "the caller's order");
        }
        String prometheus = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(prometheus.contains("rankops_ranker_rank_timeouts_total{arm=\"champion\"}"), "timeouts are exported");
        assertTrue(prometheus.contains("rankops_ranker_rank_duration_seconds_bucket{arm=\"champion\",candidates=\"1001-5000\""),
                "the latency histogram has a bucket per candidate count");
    }

    @Test
    void modelAndSnapshotSwapTogetherUnderTrafficDroppingNoRequest() throws Exception {
        // Version 2: the same graph with other item popularities, so its scores differ.
        byte[] other = ItemSnapshots.parquet(cases, (c, f) -> f.equals("item_popularity")
                ? c.features().get(f).doubleValue() + 3.0 : c.features().get(f).doubleValue());
        String second = versionWithSnapshot(other);
        // A version whose snapshot bytes are not the ones registered: refused, the champion keeps serving.
        String snapshotUri = stack.upload(other, "item_features.parquet");
        String tampered = stack.addVersion(StackFixture.resource("shared_bottom_sources.onnx"),
                ItemSnapshots.tags(snapshotUri, ItemSnapshots.parquet(cases)));

        List<Integer> rows = rowsByRegion().get("ES");
        String body = json.writeValueAsString(compactBody("ES", rows));
        Map<String, Float> firstScores = scoresByItem(rank(compactBody("ES", rows)));
        HttpClient http = HttpClient.newHttpClient();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger mixed = new AtomicInteger();
        AtomicLong served = new AtomicLong();
        Map<String, Map<String, Float>> scoresByVersion = new ConcurrentHashMap<>();
        Set<String> versions = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(RANKING_THREADS);
        try {
            List<Future<?>> rankers = IntStream.range(0, RANKING_THREADS).<Future<?>>mapToObj(t -> threads.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(rankUrl.toString()))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            failures.incrementAndGet();
                            continue;
                        }
                        JsonNode ranked = json.readTree(response.body());
                        String version = ranked.path("modelVersion").asText();
                        versions.add(version);
                        Map<String, Float> scores = new HashMap<>();
                        ranked.path("items").forEach(i -> scores.put(i.path("itemId").asText(), i.path("score").floatValue()));
                        // every answer of a version has that version's scores: never a model with another's items
                        if (!scores.equals(scoresByVersion.computeIfAbsent(version, v -> scores))) {
                            mixed.incrementAndGet();
                        }
                        served.incrementAndGet();
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            })).toList();
            for (int swap = 0; swap < 3; swap++) {
                Thread.sleep(300);
                stack.setAlias("champion", second);
                RankerAdmin.request().post("/admin/models/reload").then().statusCode(200)
                        .body("champion.version", equalTo(second));
                Thread.sleep(300);
                stack.setAlias("champion", tampered);
                RankerAdmin.request().post("/admin/models/reload").then().statusCode(200)
                        .body("champion.version", equalTo(second))
                        .body("lastError.message", containsString("changed after registration"));
                stack.setAlias("champion", first);
                RankerAdmin.request().post("/admin/models/reload").then().statusCode(200)
                        .body("champion.version", equalTo(first));
            }
            Thread.sleep(300);
            running.set(false);
            for (Future<?> ranker : rankers) {
                ranker.get(30, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            threads.shutdownNow();
        }
        assertEquals(0, failures.get(), "no request failed while model and snapshot were swapped");
        assertEquals(0, mixed.get(), "no answer mixed one version's model with another's items");
        assertTrue(served.get() > 20, "traffic kept flowing: " + served.get());
        assertEquals(Set.of(first, second), versions);
        assertEquals(firstScores, scoresByVersion.get(first));
        assertNotEquals(scoresByVersion.get(first), scoresByVersion.get(second), "version 2's items score differently");
    }

    private Map<String, List<Integer>> rowsByRegion() {
        Map<String, List<Integer>> rows = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            rows.computeIfAbsent(cases.get(i).region(), r -> new ArrayList<>()).add(i);
        }
        return rows;
    }

    private ParityVectors.Case caseOf(long itemId) {
        return cases.stream().filter(c -> c.features().get("item_id").longValue() == itemId).findFirst().orElseThrow();
    }

    /** The compact form: the cases' item ids, their per-case features as columns, item features from the snapshot. */
    private Map<String, Object> compactBody(String region, List<Integer> rows) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", 7);
        body.put("region", region);
        body.put("itemIds", rows.stream().mapToLong(r -> cases.get(r).features().get("item_id").longValue()).toArray());
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (String feature : PER_CASE) {
            columns.put(feature, rows.stream().mapToDouble(r -> cases.get(r).features().get(feature).doubleValue()).toArray());
        }
        body.put("candidateFeatures", columns);
        return body;
    }

    private Map<String, Object> readableBody(String region, List<Integer> rows) {
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (int row : rows) {
            Map<String, Number> features = new HashMap<>(cases.get(row).features());
            features.remove("region_code");
            candidates.add(Map.of("itemId", features.get("item_id"), "features", features));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", 7);
        body.put("region", region);
        body.put("candidates", candidates);
        return body;
    }

    private static Map<String, Float> scoresByItem(JsonPath ranked) {
        Map<String, Float> scores = new HashMap<>();
        List<Map<String, Object>> items = ranked.getList("items");
        items.forEach(i -> scores.put(i.get("itemId").toString(), ((Number) i.get("score")).floatValue()));
        return scores;
    }

    private static JsonPath rank(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/rank").then().statusCode(200).extract().jsonPath();
    }

    private static void refused(Map<String, Object> body, int status, String message) {
        given().contentType(ContentType.JSON).body(body).post("/v1/rank").then().statusCode(status)
                .body("status", equalTo(status)).body("error", containsString(message));
    }

    private static double unknownItemsCounted() {
        String prometheus = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : prometheus.split("\n")) {
            if (line.startsWith("rankops_ranker_unknown_items_total{arm=\"champion\"}")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
