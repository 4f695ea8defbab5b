package io.rankops.api.runs;

import io.rankops.workflows.pipeline.GateMetric;
import java.util.List;

/** Every default and every allowed value of a run request, in one place. */
public final class RunDefaults {

    /** The model families services/trainer builds by name. */
    static final String MODEL_FAMILY_PATTERN = "shared_bottom|mmoe|ple|esmm|resflow|seq_md";
    public static final List<String> MODEL_FAMILIES = choices(MODEL_FAMILY_PATTERN);

    /**
     * A region (market) code. Which regions exist is the event source's to say (its feature spec,
     * EventWindow.declaredRegions), so a run naming one it lacks is refused there, not by a list here.
     */
    static final String REGION_PATTERN = "[A-Z]{2,3}";
    /** At most this many regions or region floors in one run: more markets than any source declares. */
    static final int MAX_REGIONS = 64;

    /** Which WR@K the gate judges, unless the run says (GateMetric: displayed_wr or prerank_wr). */
    static final String GATE_METRIC = GateMetric.DISPLAYED_WR.wire();
    static final List<String> GATE_METRICS = GateMetric.wireNames();

    static final String TASK_PATTERN = "click|cart|purchase";
    static final List<String> TASKS = choices(TASK_PATTERN);
    static final String DEVICE_PATTERN = "auto|cpu|gpu";
    static final List<String> DEVICES = choices(DEVICE_PATTERN);

    /** One validation day and one test day (the workflow's split) leave at least one to train on. */
    static final int MIN_WINDOW_DAYS = 3;
    static final int MAX_WINDOW_DAYS = 90;

    static final String MODEL_NAME = "rankops-ranker";
    static final String DEVICE = "auto";
    static final String TRIGGER = "api";
    static final int APPROVAL_TIMEOUT_HOURS = 72;

    static final int EPOCHS = 5;
    static final int BATCH_SIZE = 512;
    static final double LEARNING_RATE = 1e-3;
    static final int EMBEDDING_DIM = 16;
    static final int PATIENCE = 2;
    static final long SEED = 42;

    static final int GATE_K = 10;
    static final double GATE_MIN_WEIGHTED_RECALL = 0.10;
    static final double GATE_MAX_REGRESSION = 0.02;

    /** A canary asked for without a bake time bakes each step this long (the standard policy's steps). */
    static final int ROLLOUT_BAKE_SECONDS = 900;

    /** The values of an alternation pattern: validation annotations need the pattern as a constant. */
    private static List<String> choices(String alternation) {
        return List.of(alternation.split("\\|"));
    }

    private RunDefaults() {
    }
}
