package io.rankops.worker.registry;

import static io.rankops.platform.names.RegistryNames.ITEM_SNAPSHOT_SHA256_TAG;
import static io.rankops.platform.names.RegistryNames.ITEM_SNAPSHOT_URI_TAG;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.platform.storage.ObjectStore;
import io.rankops.platform.storage.S3Uri;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The item feature snapshot of a run's dataset, as lineage tags for its model version: the URI
 * and SHA-256 that the dataset's {@code manifest.json} records under {@code itemSnapshot}
 * (extraction's ItemSnapshotWriter). The object is re-hashed here, so a version is only tagged
 * with a snapshot whose bytes are still the ones evaluation scored; the ranker checks the hash again
 * when it loads. A dataset without a snapshot (its spec declares no item features) gives no tags.
 */
public class ItemSnapshotLineage {

    static final String MANIFEST = "manifest.json";
    static final String MANIFEST_FIELD = "itemSnapshot";

    private final ObjectStore store;
    private final String datasetsPrefix;
    private final ObjectMapper json = new ObjectMapper();

    public ItemSnapshotLineage(ObjectStore store, String datasetsPrefix) {
        this.store = store;
        this.datasetsPrefix = datasetsPrefix.endsWith("/") ? datasetsPrefix : datasetsPrefix + "/";
    }

    /** The tags for a version trained on {@code datasetId}; empty when the dataset has no snapshot. */
    public Map<String, String> tags(String datasetId) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (datasetId == null || datasetId.isBlank()) {
            return tags;
        }
        String manifestKey = datasetsPrefix + datasetId + "/" + MANIFEST;
        Optional<byte[]> manifest = store.get(manifestKey);
        if (manifest.isEmpty()) {
            throw new IllegalArgumentException("dataset " + datasetId + " has no " + manifestKey
                    + ": cannot tell which item snapshot its model is served with");
        }
        JsonNode entry;
        try {
            entry = json.readTree(manifest.get()).path(MANIFEST_FIELD);
        } catch (IOException e) {
            throw new IllegalArgumentException(manifestKey + " is not JSON: " + e.getMessage(), e);
        }
        if (entry.isMissingNode() || entry.isNull()) {
            return tags;
        }
        String uri = entry.path("uri").asText("");
        String expected = entry.path("sha256").asText("");
        S3Uri object = S3Uri.tryParse(uri).orElseThrow(() -> new BadModelArtifactException(
                manifestKey + ": itemSnapshot.uri '" + uri + "' is not an s3://bucket/key URI"));
        String actual = sha256(object, uri);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new BadModelArtifactException("item snapshot " + uri + " has sha256 " + actual + " but " + manifestKey
                    + " records " + expected + ": it changed after extraction");
        }
        tags.put(ITEM_SNAPSHOT_URI_TAG, uri);
        tags.put(ITEM_SNAPSHOT_SHA256_TAG, actual);
        return tags;
    }

    private String sha256(S3Uri object, String uri) {
        if (store.stat(object).isEmpty()) {
            throw new BadModelArtifactException("item snapshot " + uri + " does not exist");
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(store.open(object), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + uri + " failed", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
