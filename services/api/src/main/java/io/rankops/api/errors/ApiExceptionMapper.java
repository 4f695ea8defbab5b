package io.rankops.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.ForbiddenException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The API's one exception mapper: every failure leaves as {@link ApiError} JSON. Missing or
 * wrong credentials stay with Quarkus (401 plus the authentication challenge).
 */
public class ApiExceptionMapper {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class);

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<ApiError.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new ApiError.Violation(field(v), v.getMessage()))
                .sorted(Comparator.comparing(ApiError.Violation::field).thenComparing(ApiError.Violation::message))
                .toList();
        return respond(new ApiError(400, "invalid request",
                violations.stream().map(ApiError.Violation::field).distinct().collect(Collectors.joining(", ")),
                violations));
    }

    @ServerExceptionMapper
    public Response unreadable(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response refused(ApiException e) {
        return respond(new ApiError(e.status(), e.title(), e.getMessage(), e.violations()));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(new ApiError(403, "forbidden", "your roles do not allow this action", null));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // Quarkus REST wraps JSON syntax errors (not mapping errors) in a bare 400.
            return unreadableJson(json);
        }
        int status = e.getResponse().getStatus();
        return respond(new ApiError(status, Response.Status.fromStatusCode(status) == null
                ? "error" : Response.Status.fromStatusCode(status).getReasonPhrase().toLowerCase(), e.getMessage(), null));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unhandled failure", e);
        return respond(new ApiError(500, "internal error", "the server failed; the log has the details", null));
    }

    private Response unreadableJson(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
        String message;
        if (e instanceof UnrecognizedPropertyException unknown) {
            message = "unknown field" + (unknown.getKnownPropertyIds() == null || unknown.getKnownPropertyIds().isEmpty()
                    ? "" : "; known: " + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                            .collect(Collectors.joining(", ")));
        } else {
            message = e.getOriginalMessage() == null ? "unreadable JSON" : e.getOriginalMessage().lines().findFirst().orElse("");
            if (!(e instanceof JsonMappingException) && e.getLocation() != null) {
                message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            }
        }
        return respond(new ApiError(400, "invalid request", "the body is not the expected JSON",
                List.of(new ApiError.Violation(field.isEmpty() ? "body" : field, message))));
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /**
     * "create.body.window.end" -> "window.end", "list.size" -> "size": the client knows its body
     * and its query parameters, not our method names. Request bodies are parameters named "body".
     */
    static String field(ConstraintViolation<?> violation) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR || kind == ElementKind.RETURN_VALUE
                    || kind == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (kind == ElementKind.PARAMETER) {
                out.setLength(0);
                if (!"body".equals(node.getName())) {
                    out.append(node.getName());
                }
                continue;
            }
            if (node.isInIterable()) {
                out.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
            }
            if (kind != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    /** Messages can quote the caller's input (a megabyte-long value, say): errors stay short. */
    static final int MAX_TEXT = 500;

    private static String shorten(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }

    /** A body of thousands of bad keys gets the first of them, and a count of the rest. */
    static final int MAX_VIOLATIONS = 20;

    private static Response respond(ApiError raw) {
        List<ApiError.Violation> violations = null;
        if (raw.violations() != null) {
            violations = new java.util.ArrayList<>(raw.violations().stream().limit(MAX_VIOLATIONS)
                    .map(v -> new ApiError.Violation(shorten(v.field()), shorten(v.message()))).toList());
            if (raw.violations().size() > MAX_VIOLATIONS) {
                violations.add(new ApiError.Violation("…", (raw.violations().size() - MAX_VIOLATIONS)
                        + " more violations not listed"));
            }
        }
        ApiError error = new ApiError(raw.status(), raw.title(), shorten(raw.detail()), violations);
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
