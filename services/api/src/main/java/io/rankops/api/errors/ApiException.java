package io.rankops.api.errors;

/** A refusal with the HTTP status it deserves; the one exception mapper turns it into JSON. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;

    public ApiException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "not found", what + " '" + id + "' does not exist");
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "conflict", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", detail);
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(503, "service unavailable", detail);
    }
}
