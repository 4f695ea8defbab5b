package io.rankops.api.errors;

import java.util.List;

/** A refusal with the HTTP status it deserves; the one exception mapper turns it into JSON. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<ApiError.Violation> violations;

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public ApiException(int status, String title, String detail, List<ApiError.Violation> violations) {
        super(detail);
        this.status = status;
        this.title = title;
        this.violations = violations;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** One entry per bad field (400 only), or null. */
    public List<ApiError.Violation> violations() {
        return violations;
    }

    /** A 400 naming one bad field: a path or query parameter, a header, a body field. */
    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "invalid request", field, List.of(new ApiError.Violation(field, message)));
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
