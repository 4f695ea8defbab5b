package io.rankops.platform.names;

/**
 * Every name the platform writes into MLflow, in one place (as mlflow's own mlflow_tags.py keeps
 * its tag names): the serving aliases, the tags on model versions and runs, the experiment.
 * The trainer keeps the same names in rankops_trainer/names.py; tests/test_names.py checks them.
 */
public final class RegistryNames {

    /** Alias the ranker serves to everyone outside a canary. */
    public static final String CHAMPION_ALIAS = "champion";
    /** Names rankops gives registered models (and accepts in paths): no '/', which MLflow's REST paths cannot carry. */
    public static final String MODEL_NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";
    /** Alias the ranker serves to a canary's share of buyers; only an approved version holds it. */
    public static final String CANDIDATE_ALIAS = "candidate";

    /** The experiment holding every training run (created by the trainer). */
    public static final String TRAINING_EXPERIMENT = "rankops-pipeline";

    /** On model versions and MLflow runs: the rankops run (= workflow id) that produced them. */
    public static final String RUN_ID_TAG = "rankops.run_id";
    public static final String DATASET_ID_TAG = "rankops.dataset_id";
    public static final String MODEL_FAMILY_TAG = "rankops.model_family";
    public static final String GIT_SHA_TAG = "rankops.git_sha";
    /** SHA-256 of the registered artifact's bytes, checked at registration; the ranker checks it at load. */
    public static final String ONNX_SHA256_TAG = "rankops.onnx_sha256";
    /**
     * The item feature snapshot the version was evaluated with and is served with (s3:// URI of the
     * dataset's {@code item_features.parquet}); absent for models served with every feature per candidate.
     */
    public static final String ITEM_SNAPSHOT_URI_TAG = "rankops.item_snapshot_uri";
    /** Hex SHA-256 of that snapshot, checked at registration; the ranker refuses other bytes. */
    public static final String ITEM_SNAPSHOT_SHA256_TAG = "rankops.item_snapshot_sha256";
    /** Offline metrics copied onto a version: {@code metric.wr_at_10} etc. */
    public static final String METRIC_TAG_PREFIX = "metric.";
    /** On model versions: the version's {@code VersionLifecycle} stage. */
    public static final String LIFECYCLE_TAG = "rankops.lifecycle";
    /** On model versions: why it reached its stage, and which run put it there. */
    public static final String LIFECYCLE_REASON_TAG = "rankops.lifecycle_reason";
    /** On MLflow runs: the pipeline outcome (promoted, approved, rolled_back, gate_failed, …). */
    public static final String OUTCOME_TAG = "rankops.outcome";

    private RegistryNames() {
    }
}
