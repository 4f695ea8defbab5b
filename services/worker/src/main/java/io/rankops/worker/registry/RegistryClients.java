package io.rankops.worker.registry;

import io.rankops.worker.rollout.RankerClient;
import io.rankops.worker.rollout.RankerSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** One MLflow registry client and one ranker client for the whole worker. */
public class RegistryClients {

    @Produces
    @Singleton
    MlflowRegistry mlflowRegistry(@ConfigProperty(name = "rankops.mlflow.tracking-uri") String trackingUri) {
        return new MlflowRegistry(trackingUri);
    }

    @Produces
    @Singleton
    AliasLifecycle aliasLifecycle(MlflowRegistry registry) {
        return new AliasLifecycle(registry);
    }

    @Produces
    @Singleton
    RankerClient rankerClient(RankerSettings settings) {
        return new RankerClient(settings);
    }
}
