package io.rankops.ranker.model;

/** The artifact of a model version cannot be served (missing, unreadable, or not the ranker's ONNX contract). */
public class BadModelException extends Exception {
    public BadModelException(String message) {
        super(message);
    }

    public BadModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
