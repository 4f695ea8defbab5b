package io.rankops.worker.support;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.rankops.platform.mlflow.MlflowCredentials;
import io.rankops.platform.storage.ObjectStore;
import java.util.UUID;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * Clients for the running local stack, from the variables in infra/local/rankops.env (exported
 * before the tests run), for tests that exercise the plain classes without booting Quarkus.
 */
public final class StackEnv {

    public static String require(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: export infra/local/rankops.env before running the tests");
        }
        return value;
    }

    public static ObjectStore objectStore() {
        return new ObjectStore(minioClient(), bucket());
    }

    public static MinioClient minioClient() {
        return MinioClient.builder()
                .endpoint("http://" + require("RANKOPS_HOST") + ":" + require("RANKOPS_MINIO_PORT"))
                .credentials(require("RANKOPS_MINIO_USER"), require("RANKOPS_MINIO_PASSWORD"))
                .build();
    }

    public static String bucket() {
        return require("RANKOPS_BUCKET");
    }

    public static String mlflowTrackingUri() {
        return "http://" + require("RANKOPS_HOST") + ":" + require("RANKOPS_MLFLOW_PORT");
    }

    /** The test suites' own MLflow account (RANKOPS_MLFLOW_TEST_USER): fixtures are theirs to write. */
    public static MlflowCredentials mlflowCredentials() {
        return new MlflowCredentials(mlflowTrackingUri(), require("RANKOPS_MLFLOW_TEST_USER"),
                require("RANKOPS_MLFLOW_TEST_PASSWORD"));
    }

    public static MlflowClient mlflowClient() {
        MlflowCredentials credentials = mlflowCredentials();
        return new MlflowClient(new BasicMlflowHostCreds(credentials.trackingUri(), credentials.username(),
                credentials.password()));
    }

    /** Removes what a test wrote under its own prefix, so the dev bucket does not fill up with fixtures. */
    public static void deleteUnder(String prefix) {
        MinioClient client = minioClient();
        try {
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket()).prefix(prefix).recursive(true).build())) {
                client.removeObject(RemoveObjectArgs.builder().bucket(bucket()).object(result.get().objectName()).build());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cleaning up " + prefix, e);
        }
    }

    /** A prefix no other test (or earlier run) uses, so tests never see each other's objects. */
    public static String uniquePrefix(String kind) {
        return "test/" + kind + "-" + UUID.randomUUID() + "/";
    }

    private StackEnv() {
    }
}
