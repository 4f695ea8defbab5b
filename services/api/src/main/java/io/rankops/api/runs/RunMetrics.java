package io.rankops.api.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankops.api.errors.ApiException;
import io.rankops.api.registry.ModelRegistry;
import io.rankops.api.registry.ModelRegistry.MetricPoint;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * A run's per-epoch training curves, read back from MLflow: the trainer logs every epoch's record
 * (train_loss, the val_* metrics, ...) with step = epoch to the MLflow run tagged rankops.run_id.
 */
@ApplicationScoped
public class RunMetrics {

    private static final Logger LOG = Logger.getLogger(RunMetrics.class);

    /**
     * Metrics the trainer logs once per run rather than per epoch (best_* at the best epoch,
     * test_* from evaluation at step 0), and the epoch number itself.
     */
    static final List<String> NOT_PER_EPOCH_PREFIXES = List.of("best_", "test_");
    static final String EPOCH_KEY = "epoch";

    /** @param metrics metric key -> the value logged for this epoch (the latest, should an attempt repeat it) */
    public record Epoch(long epoch, Map<String, Double> metrics) {
    }

    /** @param mlflowRunId null (and no epochs) while the run has not started training */
    public record History(String mlflowRunId, List<Epoch> epochs) {
    }

    private final RunQueries runs;
    private final ModelRegistry registry;

    public RunMetrics(RunQueries runs, ModelRegistry registry) {
        this.runs = runs;
        this.registry = registry;
    }

    /** 404 for an unknown run; no epochs while it has not trained. */
    public History history(String runId) {
        runs.find(runId);
        try {
            Optional<String> mlflowRunId = mlflowRunId(runId);
            if (mlflowRunId.isEmpty()) {
                return new History(null, List.of());
            }
            return new History(mlflowRunId.get(),
                    registry.metricHistory(mlflowRunId.get()).map(RunMetrics::epochs).orElse(List.of()));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf(e, "reading the MLflow metrics of %s failed", runId);
            throw ApiException.unavailable("MLflow could not be asked for the metrics of " + runId + ": " + e.getMessage());
        }
    }

    /** The train step's recorded MLflow run, else the newest MLflow run tagged with the run id (mid-training). */
    private Optional<String> mlflowRunId(String runId) {
        Optional<String> recorded = runs.stepDetail(runs.steps(runId), "train", "completed")
                .map(d -> d.path("mlflowRunId"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText)
                .filter(id -> !id.isBlank());
        if (recorded.isPresent()) {
            return recorded;
        }
        return registry.findRunByTag(ModelRegistry.PIPELINE_EXPERIMENT, io.rankops.platform.names.RegistryNames.RUN_ID_TAG, runId);
    }

    static List<Epoch> epochs(Map<String, List<MetricPoint>> history) {
        // epoch -> key -> the point (the latest logged one wins)
        Map<Long, Map<String, MetricPoint>> byEpoch = new TreeMap<>();
        history.forEach((key, points) -> {
            if (key.equals(EPOCH_KEY) || NOT_PER_EPOCH_PREFIXES.stream().anyMatch(key::startsWith)) {
                return;
            }
            for (MetricPoint p : points) {
                if (p.step() < 1 || !Double.isFinite(p.value())) {
                    continue;
                }
                byEpoch.computeIfAbsent(p.step(), e -> new TreeMap<>())
                        .merge(key, p, (a, b) -> b.timestamp() >= a.timestamp() ? b : a);
            }
        });
        List<Epoch> epochs = new ArrayList<>(byEpoch.size());
        byEpoch.forEach((epoch, points) -> {
            Map<String, Double> metrics = new TreeMap<>();
            points.forEach((key, p) -> metrics.put(key, p.value()));
            epochs.add(new Epoch(epoch, metrics));
        });
        return epochs;
    }
}
