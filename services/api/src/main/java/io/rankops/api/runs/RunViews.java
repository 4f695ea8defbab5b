package io.rankops.api.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.rankops.workflows.pipeline.PipelineResult;
import io.rankops.workflows.pipeline.PipelineStatus;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** What the runs endpoints answer. */
public final class RunViews {

    public record RunSummary(String id, String modelName, String modelFamily, LocalDate windowStart,
            LocalDate windowEnd, String triggeredBy, String trigger, RunStatus status, String currentStep,
            String outcome, String reason, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

        public static RunSummary of(Run run) {
            return new RunSummary(run.id, run.modelName, run.modelFamily, run.windowStart, run.windowEnd,
                    run.triggeredBy, run.trigger, run.status, run.currentStep, run.outcome, run.reason,
                    run.createdAt, run.updatedAt);
        }
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    public record Step(int sequence, String step, String status, JsonNode detail, OffsetDateTime occurredAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Links(String temporal, String mlflow) {
    }

    /**
     * @param live   the workflow's status query while the run is open
     * @param result the workflow's result once it has one
     * @param note   why live or result is missing, when it should be there
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunDetail(RunSummary run, JsonNode parameters, List<Step> steps, PipelineStatus live,
            PipelineResult result, Links links, String note) {
    }

    /** One server-sent event: the row's state plus the live status while the run is open. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunProgress(String runId, RunStatus status, String currentStep, String outcome, String reason,
            boolean open, PipelineStatus live) {
    }

    /** The answer to a cancel request: Temporal cancels asynchronously. */
    public record CancelRequested(String runId, String status) {
    }

    private RunViews() {
    }
}
