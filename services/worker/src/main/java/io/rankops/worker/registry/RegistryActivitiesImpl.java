package io.rankops.worker.registry;

import io.rankops.worker.storage.ObjectStore;
import io.rankops.workflows.pipeline.RegisteredVersion;
import io.rankops.workflows.pipeline.RegistrationRequest;
import io.rankops.workflows.pipeline.RegistryActivities;
import io.temporal.failure.ApplicationFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

/**
 * Temporal adapter over {@link ModelRegistrar}. A bad artifact or request, and MLflow refusing a
 * request outright (4xx), fail non-retryably; MLflow or MinIO being unreachable is retried.
 */
@ApplicationScoped
public class RegistryActivitiesImpl implements RegistryActivities {

    static final String BAD_REGISTRATION_REQUEST = "BadRegistrationRequest";
    static final String REGISTRY_REJECTED = "RegistryRejected";

    private final ModelRegistrar registrar;

    @Inject
    public RegistryActivitiesImpl(ObjectStore store,
            @ConfigProperty(name = "rankops.mlflow.tracking-uri") String trackingUri,
            @ConfigProperty(name = "rankops.git-sha") String gitSha) {
        this(new ModelRegistrar(new MlflowRegistry(new MlflowClient(trackingUri)), new OnnxArtifactCheck(store), gitSha));
    }

    public RegistryActivitiesImpl(ModelRegistrar registrar) {
        this.registrar = registrar;
    }

    @Override
    public RegisteredVersion findChampion(String modelName) {
        return translatingFailures(() -> registrar.findChampion(modelName));
    }

    @Override
    public RegisteredVersion register(RegistrationRequest request) {
        return translatingFailures(() -> registrar.register(request));
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
