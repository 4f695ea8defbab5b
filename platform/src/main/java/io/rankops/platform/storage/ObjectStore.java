package io.rankops.platform.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * S3-compatible storage (MinIO locally, any S3 in production): the one client of the API, the
 * worker and the ranker. "Not there" is an empty Optional, decided in one place
 * ({@link #ABSENT_CODES}); any failure to ask is an {@link ObjectStoreException}, which callers
 * treat as transient (an activity retries it).
 */
@ApplicationScoped
public class ObjectStore {

    /** Error codes that mean "not there", as opposed to "could not ask". */
    static final Set<String> ABSENT_CODES = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");

    private final MinioClient client;
    private final String bucket;

    @Inject
    public ObjectStore(ObjectStoreSettings settings) {
        this(MinioClient.builder()
                .endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey())
                .build(), settings.bucket());
    }

    public ObjectStore(MinioClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    /** The platform bucket that the key-only methods read and write. */
    public String bucket() {
        return bucket;
    }

    /** The address of a key in the platform bucket. */
    public S3Uri uri(String key) {
        return S3Uri.of(bucket, key);
    }

    /** Keys under {@code prefix} in the platform bucket, sorted, recursively. */
    public List<String> listKeys(String prefix) {
        return call("list " + prefix, () -> {
            List<String> keys = new ArrayList<>();
            Iterable<Result<Item>> results = client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket).prefix(prefix).recursive(true).build());
            for (Result<Item> result : results) {
                Item item = result.get();
                if (!item.isDir()) {
                    keys.add(item.objectName());
                }
            }
            keys.sort(null);
            return keys;
        });
    }

    /** Streams an object of the platform bucket; the caller closes the stream. */
    public InputStream open(String key) {
        return open(uri(key));
    }

    public InputStream open(S3Uri object) {
        return call("get " + object, () -> client.getObject(
                GetObjectArgs.builder().bucket(object.bucket()).object(object.key()).build()));
    }

    /** Empty when the key does not exist. */
    public Optional<byte[]> get(String key) {
        return get(uri(key));
    }

    /** Empty when the bucket or the key does not exist. */
    public Optional<byte[]> get(S3Uri object) {
        return call("get " + object, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(object.bucket()).object(object.key()).build())) {
                return Optional.of(in.readAllBytes());
            } catch (ErrorResponseException e) {
                if (isAbsent(e)) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** Size and metadata of an object; empty when the bucket or key does not exist. */
    public Optional<StatObjectResponse> stat(S3Uri object) {
        return call("stat " + object, () -> {
            try {
                return Optional.of(client.statObject(StatObjectArgs.builder().bucket(object.bucket()).object(object.key()).build()));
            } catch (ErrorResponseException e) {
                if (isAbsent(e)) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    public void put(String key, byte[] content, String contentType) {
        call("put " + key, () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(content), content.length, -1)
                .contentType(contentType)
                .build()));
    }

    public void upload(String key, Path file, String contentType) {
        call("upload " + key, () -> client.uploadObject(UploadObjectArgs.builder()
                .bucket(bucket).object(key).filename(file.toString()).contentType(contentType).build()));
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

    private static boolean isAbsent(ErrorResponseException e) {
        return ABSENT_CODES.contains(e.errorResponse().code());
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

    /** The store could not be asked (down, refused, timed out): worth a retry. */
    public static class ObjectStoreException extends RuntimeException {
        public ObjectStoreException(String what, Exception cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }
}
