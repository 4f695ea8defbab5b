package io.rankops.ranker.serving;

/** A request the ranker answers with a 4xx/5xx and a readable message. */
public class RankerException extends RuntimeException {

    private final int status;

    public RankerException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static RankerException badRequest(String message) {
        return new RankerException(400, message);
    }
}
