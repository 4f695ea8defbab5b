package io.rankops.ranker.model;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.net.URI;
import java.util.Set;

/** Reads model artifacts named by s3:// URIs (the {@code source} of an MLflow model version). */
@ApplicationScoped
public class ArtifactStore {

    private static final Set<String> ABSENT_CODES = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");

    private final MinioClient client;

    public ArtifactStore(ObjectStoreSettings settings) {
        this.client = MinioClient.builder()
                .endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey())
                .build();
    }

    /**
     * @throws BadModelException when the source is not an s3:// URI or names no object: that version
     *     can never be served
     * @throws IllegalStateException when the store could not be read (worth retrying)
     */
    public byte[] fetch(String source) throws BadModelException {
        URI uri;
        try {
            uri = URI.create(source);
        } catch (IllegalArgumentException e) {
            throw new BadModelException("source '" + source + "' is not a URI", e);
        }
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getPath().length() < 2) {
            throw new BadModelException("source '" + source + "' is not an s3://bucket/key URI");
        }
        String bucket = uri.getHost();
        String key = uri.getPath().substring(1);
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        } catch (ErrorResponseException e) {
            if (ABSENT_CODES.contains(e.errorResponse().code())) {
                throw new BadModelException("no object at " + source, e);
            }
            throw new IllegalStateException("reading " + source + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("reading " + source + ": " + e.getMessage(), e);
        }
    }
}
