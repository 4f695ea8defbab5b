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

    private final RankerClient ranker;
    private final MlflowRegistry registry;

    @Inject
    public RolloutActivitiesImpl(RankerSettings settings,
            @ConfigProperty(name = "rankops.mlflow.tracking-uri") String trackingUri) {
        this(new RankerClient(settings), new MlflowRegistry(new MlflowClient(trackingUri)));
    }

    RolloutActivitiesImpl(RankerClient ranker, MlflowRegistry registry) {
        this.ranker = ranker;
        this.registry = registry;
    }

    @Override
    public void setCandidateTraffic(String candidateVersion, double percent) {
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
