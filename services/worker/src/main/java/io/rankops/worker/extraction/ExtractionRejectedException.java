package io.rankops.worker.extraction;

import io.rankops.platform.names.FailureTypes;

/**
 * The request or the event data cannot give a dataset, however often it is retried. The
 * activity turns it into a non-retryable ApplicationFailure of {@link #failureType()}.
 */
public class ExtractionRejectedException extends RuntimeException {

    /** Event partitions that fail schema or label validation, or are missing. */
    public static final String BAD_EVENT_DATA = FailureTypes.BAD_EVENT_DATA;
    /** A request that cannot be satisfied whatever the data (e.g. a window too short to split). */
    public static final String BAD_EXTRACTION_REQUEST = FailureTypes.BAD_EXTRACTION_REQUEST;

    private final String failureType;

    private ExtractionRejectedException(String failureType, String message, Throwable cause) {
        super(message, cause);
        this.failureType = failureType;
    }

    public static ExtractionRejectedException badEventData(String message) {
        return new ExtractionRejectedException(BAD_EVENT_DATA, message, null);
    }

    public static ExtractionRejectedException badEventData(String message, Throwable cause) {
        return new ExtractionRejectedException(BAD_EVENT_DATA, message, cause);
    }

    public static ExtractionRejectedException badRequest(String message) {
        return new ExtractionRejectedException(BAD_EXTRACTION_REQUEST, message, null);
    }

    public String failureType() {
        return failureType;
    }
}
