package io.rankops.api.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.rankops.api.errors.ApiException;
import io.rankops.api.registry.ModelRegistry;
import io.rankops.api.runs.RunViews.Links;
import io.rankops.api.runs.RunViews.RunDetail;
import io.rankops.api.runs.RunViews.RunProgress;
import io.rankops.api.runs.RunViews.RunSummary;
import io.rankops.api.runs.RunViews.Step;
import io.rankops.api.temporal.TemporalSettings;
import io.rankops.workflows.pipeline.PipelineResult;
import io.rankops.workflows.pipeline.PipelineStatus;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Reading runs: the ledger's rows and step events, with the workflow's live state while a run is open. */
@ApplicationScoped
public class RunQueries {

    private static final Logger LOG = Logger.getLogger(RunQueries.class);

    private final PipelineWorkflows workflows;
    private final ObjectMapper json;
    private final TemporalSettings temporal;
    private final ModelRegistry registry;

    public RunQueries(PipelineWorkflows workflows, ObjectMapper json, TemporalSettings temporal, ModelRegistry registry) {
        this.workflows = workflows;
        this.json = json;
        this.temporal = temporal;
        this.registry = registry;
    }

    /** page × size stays far inside an int offset (and nobody pages through a million runs by hand). */
    public static final int MAX_PAGE = 100_000;

    public RunViews.Page<RunSummary> page(String status, String modelFamily, String triggeredBy, String trigger,
            int page, int size) {
        Map<String, Object> filters = new LinkedHashMap<>();
        if (status != null && !status.isBlank()) {
            filters.put("status", parseStatus(status));
        }
        putIfPresent(filters, "modelFamily", modelFamily);
        putIfPresent(filters, "triggeredBy", triggeredBy);
        putIfPresent(filters, "trigger", trigger);
        String where = filters.keySet().stream().map(f -> f + " = :" + f).collect(Collectors.joining(" and "));
        Parameters parameters = new Parameters();
        filters.forEach(parameters::and);
        var query = where.isEmpty()
                ? Run.<Run>findAll(Sort.descending("createdAt").and("id"))
                : Run.<Run>find(where, Sort.descending("createdAt").and("id"), parameters);
        List<RunSummary> items = query.page(Page.of(page, size)).list().stream().map(RunSummary::of).toList();
        return new RunViews.Page<>(items, page, size, query.count());
    }

    public Run find(String runId) {
        return Run.<Run>findByIdOptional(runId).orElseThrow(() -> ApiException.notFound("run", runId));
    }

    public RunDetail detail(String runId) {
        Run run = find(runId);
        List<Step> steps = steps(runId);
        PipelineStatus live = null;
        PipelineResult result = null;
        String note = null;
        try {
            if (run.isOpen()) {
                live = workflows.status(runId).orElse(null);
                note = live == null ? "no worker answered the status query within " + PipelineWorkflows.QUERY_TIMEOUT : null;
            } else {
                result = workflows.result(runId).orElse(null);
            }
        } catch (WorkflowNotFoundException e) {
            note = "Temporal no longer knows workflow " + runId + " (retention expired?)";
        } catch (RuntimeException e) {
            note = "Temporal could not be asked: " + rootMessage(e);
        }
        return new RunDetail(RunSummary.of(run), readJson(run.parameters), steps, live, result, links(runId, steps), note);
    }

    public RunProgress progress(String runId) {
        Run run = find(runId);
        PipelineStatus live = run.isOpen() ? workflows.status(runId).orElse(null) : null;
        return new RunProgress(run.id, run.status, run.currentStep, run.outcome, run.reason, run.isOpen(), live);
    }

    public List<Step> steps(String runId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Run.getEntityManager().createNativeQuery(
                "SELECT sequence, step, status, CAST(detail AS TEXT), occurred_at FROM run_step_event"
                        + " WHERE run_id = ?1 ORDER BY sequence")
                .setParameter(1, runId).getResultList();
        List<Step> steps = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            steps.add(new Step(((Number) row[0]).intValue(), (String) row[1], (String) row[2],
                    row[3] == null ? null : readJson((String) row[3]), timestamp(row[4])));
        }
        return steps;
    }

    /** The latest detail recorded for a step with the given status ("evaluate", "completed"). */
    public Optional<JsonNode> stepDetail(List<Step> steps, String step, String status) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            if (s.step().equals(step) && s.status().equals(status) && s.detail() != null) {
                return Optional.of(s.detail());
            }
        }
        return Optional.empty();
    }

    private Links links(String runId, List<Step> steps) {
        String temporalLink = temporal.uiUrl() + "/namespaces/" + temporal.namespace() + "/workflows/" + runId;
        String mlflowRunId = stepDetail(steps, "train", "completed").map(d -> d.path("mlflowRunId").asText(null))
                .orElse(null);
        String mlflowLink = null;
        if (mlflowRunId != null) {
            try {
                mlflowLink = registry.experimentOfRun(mlflowRunId)
                        .map(experiment -> registry.trackingUri() + "/#/experiments/" + experiment + "/runs/" + mlflowRunId)
                        .orElse(null);
            } catch (RuntimeException e) {
                LOG.debugf(e, "no MLflow link for %s", runId);
            }
        }
        return new Links(temporalLink, mlflowLink);
    }

    /** Stored JSON as a tree; text that is not JSON (an older or foreign row) comes back as a text node. */
    JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    private static OffsetDateTime timestamp(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt;
        }
        if (value instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant().atOffset(ZoneOffset.UTC);
        }
        return null;
    }

    private static RunStatus parseStatus(String status) {
        try {
            return RunStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status", "one of " + java.util.Arrays.toString(RunStatus.values()));
        }
    }

    private static void putIfPresent(Map<String, Object> filters, String field, String value) {
        if (value != null && !value.isBlank()) {
            filters.put(field, value);
        }
    }

    private static String rootMessage(Throwable failure) {
        return RunCommands.rootMessage(failure);
    }
}
