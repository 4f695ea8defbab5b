package io.rankops.api.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Every error the API answers, in one shape.
 *
 * @param violations one entry per bad field of a request (400 only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int status, String title, String detail, List<Violation> violations) {

    public record Violation(String field, String message) {
    }
}
