package io.rankops.ranker.model;

import io.rankops.platform.storage.ObjectStore;
import io.rankops.platform.storage.S3Uri;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads model artifacts named by s3:// URIs (the {@code source} of an MLflow model version). */
@ApplicationScoped
public class ArtifactStore {

    private final ObjectStore store;

    public ArtifactStore(ObjectStore store) {
        this.store = store;
    }

    /**
     * @throws BadModelException when the source is not an s3:// URI or names no object: that version
     *     can never be served
     * @throws ObjectStore.ObjectStoreException when the store could not be read (worth retrying)
     */
    public byte[] fetch(String source) throws BadModelException {
        S3Uri object = S3Uri.tryParse(source)
                .orElseThrow(() -> new BadModelException("source '" + source + "' is not an s3://bucket/key URI"));
        return store.get(object).orElseThrow(() -> new BadModelException("no object at " + source));
    }
}
