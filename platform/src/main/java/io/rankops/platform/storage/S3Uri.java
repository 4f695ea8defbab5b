package io.rankops.platform.storage;

import java.net.URI;
import java.util.Optional;

/**
 * An object's address, {@code s3://bucket/key}: how datasets, checkpoints and model versions name
 * their objects. The one parser, so no caller splits the string itself.
 */
public record S3Uri(String bucket, String key) {

    public S3Uri {
        if (bucket == null || bucket.isBlank() || key == null || key.isBlank() || key.startsWith("/")) {
            throw new IllegalArgumentException("an s3 URI needs a bucket and a key: s3://" + bucket + "/" + key);
        }
    }

    /** @throws IllegalArgumentException naming the text when it is not {@code s3://bucket/key} */
    public static S3Uri parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an s3://bucket/key URI"));
    }

    public static Optional<S3Uri> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawPath() == null
                || uri.getPath().length() < 2 || uri.getQuery() != null || uri.getFragment() != null) {
            return Optional.empty();
        }
        return Optional.of(new S3Uri(uri.getHost(), uri.getPath().substring(1)));
    }

    public static S3Uri of(String bucket, String key) {
        return new S3Uri(bucket, key);
    }

    /** The object under this one's key, for a prefix URI such as a dataset's {@code s3://b/datasets/ds-1/}. */
    public S3Uri resolve(String name) {
        return new S3Uri(bucket, key.endsWith("/") ? key + name : key + "/" + name);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
