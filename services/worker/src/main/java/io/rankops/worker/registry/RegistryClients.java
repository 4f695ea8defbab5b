package io.rankops.worker.registry;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** One MLflow registry client for the whole worker (the ranker's is the declared RankerAdminClient). */
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
}
