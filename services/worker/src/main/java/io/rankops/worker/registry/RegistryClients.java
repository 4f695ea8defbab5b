package io.rankops.worker.registry;

import io.rankops.platform.mlflow.MlflowCredentials;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** One MLflow registry client for the whole worker (the ranker's is the declared RankerAdminClient). */
public class RegistryClients {

    @Produces
    @Singleton
    MlflowRegistry mlflowRegistry(@ConfigProperty(name = "rankops.mlflow.tracking-uri") String trackingUri,
            @ConfigProperty(name = "rankops.mlflow.username") String username,
            @ConfigProperty(name = "rankops.mlflow.password") String password) {
        // The worker's own account: the only service that may register versions and move aliases.
        return new MlflowRegistry(new MlflowCredentials(trackingUri, username, password));
    }

    @Produces
    @Singleton
    AliasLifecycle aliasLifecycle(MlflowRegistry registry) {
        return new AliasLifecycle(registry);
    }
}
