package io.rankops.worker.rollout;

import io.rankops.worker.registry.MlflowRegistry;
import io.rankops.workflows.rollout.ArmSnapshot;
import io.rankops.workflows.rollout.RolloutActivities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.mlflow.tracking.MlflowClient;

@ApplicationScoped
public class RolloutActivitiesImpl implements RolloutActivities {

    static final String CHAMPION = "champion";
    static final String CANDIDATE = "candidate";

    private final RankerClient ranker;
    private final MlflowRegistry registry;
    private final String modelName;

    @Inject
    public RolloutActivitiesImpl(RankerSettings settings,
            @ConfigProperty(name = "rankops.mlflow.tracking-uri") String trackingUri) {
        this(new RankerClient(settings), new MlflowRegistry(new MlflowClient(trackingUri)), settings.modelName());
    }

    RolloutActivitiesImpl(RankerClient ranker, MlflowRegistry registry, String modelName) {
        this.ranker = ranker;
        this.registry = registry;
        this.modelName = modelName;
    }

    /**
     * A newer registration may have moved alias {@code candidate} since the rollout began; the
     * rollout owns the candidate arm while it runs, so each step points the alias back at its
     * version before giving it traffic.
     */
    @Override
    public void setCandidateTraffic(String candidateVersion, double percent) {
        if (percent > 0 && registry.versionByAlias(modelName, CANDIDATE)
                .map(v -> !candidateVersion.equals(v.path("version").asText())).orElse(true)) {
            registry.setAlias(modelName, CANDIDATE, candidateVersion);
            ranker.reloadModels();
        }
        ranker.setCandidateTraffic(candidateVersion, percent);
    }

    @Override
    public ArmSnapshot readArmMetrics() {
        return ranker.armMetrics();
    }

    @Override
    public void promoteToChampion(String modelName, String version) {
        registry.setAlias(modelName, CHAMPION, version);
        // Without waiting for the ranker's periodic refresh: the canary ends when the champion serves.
        ranker.reloadModels();
    }
}
