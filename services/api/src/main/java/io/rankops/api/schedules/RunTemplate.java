package io.rankops.api.schedules;

import io.rankops.api.runs.RunRequest;
import java.time.LocalDate;
import java.util.List;

/**
 * The run a schedule starts: a run request without its window (each run gets the windowDays
 * days before it) and without a trigger (always "schedule"). It is validated and completed with
 * defaults as a {@link RunRequest}, so schedules and people's runs accept exactly the same values.
 */
public record RunTemplate(String modelName, String modelFamily, Boolean regionMask, List<String> regions,
        RunRequest.Params params, RunRequest.Gate gate, String device, Integer approvalTimeoutHours,
        RunRequest.Rollout rollout) {

    /** The request a person would send for the given window; "api" stands in for the trigger. */
    RunRequest asRunRequest(LocalDate start, LocalDate end) {
        return new RunRequest(modelName, modelFamily, regionMask, new RunRequest.Window(start, end), regions, params,
                gate, device, approvalTimeoutHours, "api", rollout);
    }
}
