package io.rankops.worker.registry;

import io.rankops.platform.names.FailureTypes;
import io.rankops.platform.names.RegistryNames;
import io.rankops.platform.storage.ObjectStore;
import io.rankops.worker.extraction.ExtractionSettings;
import io.rankops.worker.rollout.RankerClient;
import io.rankops.workflows.pipeline.activities.RegistryActivities;
import io.rankops.workflows.pipeline.records.RegisteredVersion;
import io.rankops.workflows.pipeline.records.RegistrationRequest;
import io.rankops.workflows.pipeline.records.TrainingRunClosure;
import io.rankops.workflows.pipeline.records.VersionSettlement;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowHttpException;

/**
 * Temporal adapter over {@link ModelRegistrar} and {@link AliasLifecycle}. A bad artifact or
 * request, and MLflow refusing a request outright (4xx), fail non-retryably; MLflow or MinIO
 * being unreachable is retried.
 */
@ApplicationScoped
public class RegistryActivitiesImpl implements RegistryActivities {

    private static final Logger LOG = Logger.getLogger(RegistryActivitiesImpl.class);
    static final String BAD_REGISTRATION_REQUEST = FailureTypes.BAD_REGISTRATION_REQUEST;
    static final String REGISTRY_REJECTED = FailureTypes.REGISTRY_REJECTED;

    private final ModelRegistrar registrar;
    private final AliasLifecycle lifecycle;
    private final MlflowRegistry registry;
    private final RankerClient ranker;

    @Inject
    public RegistryActivitiesImpl(ObjectStore store, MlflowRegistry registry, AliasLifecycle lifecycle,
            RankerClient ranker, @ConfigProperty(name = "rankops.git-sha") String gitSha, ExtractionSettings datasets) {
        this(new ModelRegistrar(registry, new OnnxArtifactCheck(store), gitSha,
                new ItemSnapshotLineage(store, datasets.datasetsPrefix())), lifecycle, registry, ranker);
    }

    public RegistryActivitiesImpl(ModelRegistrar registrar, AliasLifecycle lifecycle, MlflowRegistry registry,
            RankerClient ranker) {
        this.registrar = registrar;
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.ranker = ranker;
    }

    @Override
    public RegisteredVersion findChampion(String modelName) {
        return translatingFailures(() -> registrar.findChampion(modelName));
    }

    @Override
    public RegisteredVersion register(RegistrationRequest request) {
        return translatingFailures(() -> registrar.register(request));
    }

    @Override
    public void settle(VersionSettlement settlement) {
        translatingFailures(() -> {
            lifecycle.settle(settlement);
            return null;
        });
        reloadRanker(settlement);
    }

    @Override
    public void closeTrainingRun(TrainingRunClosure closure) {
        translatingFailures(() -> {
            registry.endRun(closure.mlflowRunId(), RegistryNames.TRAINING_EXPERIMENT, closure.runId(),
                    RunStatus.valueOf(closure.status().name()), RegistryNames.OUTCOME_TAG, closure.outcome());
            return null;
        });
    }

    /** Best effort: the ranker also re-reads its aliases on its own refresh interval. */
    private void reloadRanker(VersionSettlement settlement) {
        if (ranker == null) {
            return;
        }
        try {
            ranker.reloadModels();
        } catch (RankerClient.RankerCallException e) {
            LOG.warnf("version %s of %s is %s; the ranker did not reload now (%s) and will on its next refresh",
                    settlement.version(), settlement.modelName(), settlement.lifecycle(), e.getMessage());
        }
    }

    private interface RegistryCall<T> {
        T run();
    }

    private static <T> T translatingFailures(RegistryCall<T> call) {
        try {
            return call.run();
        } catch (BadModelArtifactException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), BadModelArtifactException.FAILURE_TYPE);
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), BAD_REGISTRATION_REQUEST);
        } catch (MlflowHttpException e) {
            boolean permanent = e.getStatusCode() >= 400 && e.getStatusCode() < 500 && e.getStatusCode() != 429;
            if (permanent) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "MLflow refused the request (" + e.getStatusCode() + "): " + e.getBodyMessage(), REGISTRY_REJECTED);
            }
            throw e;
        }
    }
}
