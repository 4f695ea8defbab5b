package io.rankops.workflows.rollout;

/**
 * The arms read at one moment. {@code champion} is null while no champion serves; then the
 * {@code baseline} arm (the caller's own order, today's ranking) is what the candidate is judged
 * against. {@code baseline} is null in histories from before the ranker had one.
 */
public record ArmSnapshot(ArmMetrics champion, ArmMetrics candidate, ArmMetrics baseline) {

    /** The arm the candidate is compared with: the champion, else the baseline; null when neither serves. */
    public ArmMetrics reference() {
        return champion != null ? champion : baseline;
    }
}
