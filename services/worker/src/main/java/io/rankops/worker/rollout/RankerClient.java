package io.rankops.worker.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.workflows.rollout.ArmMetrics;
import io.rankops.workflows.rollout.ArmSnapshot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The ranker's traffic and metrics endpoints (services/ranker/README.md). */
public class RankerClient {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String url;
    private final String authorization;

    public RankerClient(RankerSettings settings) {
        this.url = settings.url();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (settings.adminUser() + ":" + settings.adminPassword()).getBytes(StandardCharsets.UTF_8));
    }

    public void setCandidateTraffic(String candidateVersion, double percent) {
        String body = json.createObjectNode().put("candidateVersion", candidateVersion)
                .put("candidatePercent", percent).toString();
        send(HttpRequest.newBuilder(URI.create(url + "/admin/traffic"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json"));
    }

    public void reloadModels() {
        send(HttpRequest.newBuilder(URI.create(url + "/admin/models/reload")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public ArmSnapshot armMetrics() {
        JsonNode arms = send(HttpRequest.newBuilder(URI.create(url + "/v1/arms/metrics")).GET()).path("arms");
        return new ArmSnapshot(modelArm(arms.get("champion")), modelArm(arms.get("candidate")), arm(arms.get("baseline")));
    }

    /** A model arm with no model loaded is no arm: while no champion exists the baseline stands in. */
    private static ArmMetrics modelArm(JsonNode node) {
        return node == null || node.path("modelVersion").isNull() || node.path("modelVersion").isMissingNode()
                ? null : arm(node);
    }

    private static ArmMetrics arm(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return new ArmMetrics(node.path("modelVersion").asText(null), node.path("requests").asLong(),
                node.path("users").asLong(), node.path("impressions").asLong(), node.path("clicks").asLong(),
                node.path("carts").asLong(), node.path("orders").asLong(), node.path("errors").asLong(),
                node.path("ordersPerUser").asDouble(), node.path("ordersPerUserVariance").asDouble(),
                node.path("ctr").asDouble(), node.path("errorRate").asDouble(), node.path("latencyP50Ms").asDouble(),
                node.path("latencyP99Ms").asDouble());
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(TIMEOUT).header("Authorization", authorization)
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new RankerCallException(response.request().method() + " " + response.request().uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new RankerCallException("ranker at " + url + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RankerCallException("interrupted", e);
        }
    }

    /** Retryable: the rollout's retry policy rides out a ranker restart. */
    public static class RankerCallException extends RuntimeException {
        RankerCallException(String message) {
            super(message);
        }

        RankerCallException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
