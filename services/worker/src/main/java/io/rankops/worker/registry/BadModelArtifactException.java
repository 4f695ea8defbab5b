package io.rankops.worker.registry;

/** The ONNX artifact to register is missing or not an ONNX model: retrying cannot fix it. */
public class BadModelArtifactException extends RuntimeException {

    public static final String FAILURE_TYPE = "BadModelArtifact";

    public BadModelArtifactException(String message) {
        super(message);
    }
}
