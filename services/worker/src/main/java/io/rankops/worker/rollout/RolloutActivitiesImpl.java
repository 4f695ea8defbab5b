package io.rankops.worker.rollout;

import io.rankops.platform.names.RegistryNames;
import io.rankops.worker.registry.AliasLifecycle;
import io.rankops.workflows.pipeline.records.VersionLifecycle;
import io.rankops.workflows.pipeline.records.VersionSettlement;
import io.rankops.workflows.rollout.ArmSnapshot;
import io.rankops.workflows.rollout.RolloutActivities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

@ApplicationScoped
public class RolloutActivitiesImpl implements RolloutActivities {

    private final RankerClient ranker;
    private final AliasLifecycle lifecycle;
    private final String modelName;

    @Inject
    public RolloutActivitiesImpl(RankerSettings settings, RankerClient ranker, AliasLifecycle lifecycle) {
        this(ranker, lifecycle, settings.modelName());
    }

    RolloutActivitiesImpl(RankerClient ranker, AliasLifecycle lifecycle, String modelName) {
        this.ranker = ranker;
        this.lifecycle = lifecycle;
        this.modelName = modelName;
    }

    /**
     * Above 0 % the version must hold alias {@code candidate}: the canary's first step gives it
     * the alias (an approved version's canary is the only way to it), and a later step takes it
     * back if something moved it since. The ranker reloads before the split names the version.
     */
    @Override
    public void setCandidateTraffic(String candidateVersion, double percent) {
        if (percent > 0 && !lifecycle.aliasVersion(modelName, RegistryNames.CANDIDATE_ALIAS)
                .map(candidateVersion::equals).orElse(false)) {
            lifecycle.settle(new VersionSettlement(modelName, candidateVersion, null, VersionLifecycle.IN_CANARY,
                    "canary started at " + percent + " %"));
            ranker.reloadModels();
        }
        ranker.setCandidateTraffic(candidateVersion, percent);
    }

    @Override
    public ArmSnapshot readArmMetrics() {
        return ranker.armMetrics();
    }

    /** Only rollouts from before settle_version call this; it follows the same lifecycle. */
    @Override
    public void promoteToChampion(String modelName, String version) {
        lifecycle.settle(new VersionSettlement(modelName, version, null, VersionLifecycle.CHAMPION,
                "promoted after the canary"));
        ranker.reloadModels();
    }
}
