package io.rankops.workflows.pipeline.records;

/**
 * Where a registered model version stands, written on the version as tag
 * {@link io.rankops.platform.names.RegistryNames#LIFECYCLE_TAG}. The one
 * rule (docs/architecture.md, "Alias lifecycle"): registration sets no serving alias; only an
 * approved version ever holds {@code candidate} (while its canary runs) or {@code champion}.
 */
public enum VersionLifecycle {
    /** Registered, no alias: the ranker cannot serve it. */
    AWAITING_APPROVAL,
    /** Approved, alias {@code candidate}: serves the canary's share of buyers. */
    IN_CANARY,
    /** Alias {@code champion}: serves everyone outside a canary. */
    CHAMPION,
    /** Was champion until a newer version was promoted. */
    RETIRED,
    /** The canary judged it worse; no alias. */
    ROLLED_BACK,
    /** A release manager stopped its canary; no alias. */
    ABORTED,
    /** A release manager said no; no alias. */
    REJECTED,
    /** Nobody decided in time; no alias. */
    EXPIRED,
    /** Its run was cancelled; no alias. */
    CANCELLED
}
