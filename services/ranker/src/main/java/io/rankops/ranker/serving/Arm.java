package io.rankops.ranker.serving;

import io.rankops.platform.names.RegistryNames;
import java.util.List;

/**
 * The arms a request can be served by. The two model arms are the MLflow aliases of the same
 * name; the baseline arm has no model and keeps the caller's own order (today's ranking). The
 * baseline serves everyone outside a canary while no champion exists, so the first model's
 * canary is a real A/B against what buyers see today.
 */
public enum Arm {
    CHAMPION(RegistryNames.CHAMPION_ALIAS),
    CANDIDATE(RegistryNames.CANDIDATE_ALIAS),
    BASELINE("baseline");

    /** The arms that serve a model version, loaded from their alias. */
    public static final List<Arm> MODEL_ARMS = List.of(CHAMPION, CANDIDATE);

    private final String alias;

    Arm(String alias) {
        this.alias = alias;
    }

    /** The arm's name in the HTTP API and the metrics' {@code arm} tag; for model arms, also the MLflow alias. */
    public String alias() {
        return alias;
    }
}
