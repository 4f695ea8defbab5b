package io.rankops.worker.registry;

import io.rankops.platform.names.FailureTypes;

/** The ONNX artifact to register is missing or not an ONNX model: retrying cannot fix it. */
public class BadModelArtifactException extends RuntimeException {

    public static final String FAILURE_TYPE = FailureTypes.BAD_MODEL_ARTIFACT;

    public BadModelArtifactException(String message) {
        super(message);
    }
}
