package io.rankops.platform.names;

/**
 * Temporal failure types of activities that fail for good: retrying would fail the same way, so
 * the activity policies never retry them and the run's reason names the file, field or version.
 * The Python trainer raises the same names (rankops_trainer/names.py; tests/test_names.py checks).
 */
public final class FailureTypes {

    /** Event partitions that break the schema, the labels or the funnel. */
    public static final String BAD_EVENT_DATA = "BadEventData";
    /** A window or split extraction cannot serve. */
    public static final String BAD_EXTRACTION_REQUEST = "BadExtractionRequest";
    /** An ONNX artifact that is missing, empty, not a model, or not the bytes training reported. */
    public static final String BAD_MODEL_ARTIFACT = "BadModelArtifact";
    /** Training parameters the trainer refuses. */
    public static final String BAD_TRAINING_CONFIG = "BadTrainingConfig";
    /** A registration or settlement the registry refuses (unknown version, withdrawing the champion). */
    public static final String BAD_REGISTRATION_REQUEST = "BadRegistrationRequest";
    /** MLflow answered 4xx. */
    public static final String REGISTRY_REJECTED = "RegistryRejected";
    /** A step event or scheduled run the ledger can never store (malformed detail, broken constraint). */
    public static final String BAD_RUN_RECORD = "BadRunRecord";
    /** A decide update the API never recorded (sent straight to Temporal), or one already used. */
    public static final String UNCONFIRMED_DECISION = "UnconfirmedDecision";

    private FailureTypes() {
    }
}
