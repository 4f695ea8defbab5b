package io.rankops.api.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Optional;

/** The platform's view of S3-compatible storage (MinIO locally, any S3 in production). */
@ApplicationScoped
public class ObjectStore {

    private final MinioClient client;
    private final String bucket;

    public ObjectStore(ObjectStoreSettings settings) {
        this.bucket = settings.bucket();
        this.client = MinioClient.builder()
                .endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey())
                .build();
    }

    public String bucket() {
        return bucket;
    }

    public void put(String key, byte[] content, String contentType) {
        call("put " + key, () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(content), content.length, -1)
                .contentType(contentType)
                .build()));
    }

    /** Empty when the key does not exist; any other failure is an {@link ObjectStoreException}. */
    public Optional<byte[]> get(String key) {
        return call("get " + key, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return Optional.of(in.readAllBytes());
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    public void delete(String key) {
        call("delete " + key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    public boolean bucketExists() {
        return call("bucket " + bucket, () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    private interface MinioCall<T> {
        T run() throws IOException, GeneralSecurityException, MinioException;
    }

    private static <T> T call(String what, MinioCall<T> action) {
        try {
            return action.run();
        } catch (IOException | GeneralSecurityException | MinioException e) {
            throw new ObjectStoreException(what, e);
        }
    }

    public static class ObjectStoreException extends RuntimeException {
        ObjectStoreException(String what, Exception cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }
}
