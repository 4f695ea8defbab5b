package io.rankops.api.support;

import io.rankops.platform.mlflow.MlflowCredentials;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/** An MLflow client for test fixtures, signed in as the suites' own account (RANKOPS_MLFLOW_TEST_USER). */
public final class TestMlflow {

    public static MlflowClient client(String trackingUri) {
        MlflowCredentials credentials = new MlflowCredentials(trackingUri, System.getenv("RANKOPS_MLFLOW_TEST_USER"),
                System.getenv("RANKOPS_MLFLOW_TEST_PASSWORD"));
        return new MlflowClient(new BasicMlflowHostCreds(credentials.trackingUri(), credentials.username(),
                credentials.password()));
    }

    private TestMlflow() {
    }
}
