package io.rankops.ranker.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error the ranker answers has the documented body {@code {"status", "error"}}: JSON it
 * cannot read is a 400 saying where and why (declared for each Jackson exception type, so these
 * win over Quarkus's built-in mappers of the more specific types), JAX-RS's own refusals (404,
 * 405, 415, ...) keep their status, and anything unforeseen is a 500 that is logged.
 */
public class JsonErrors {

    private static final Logger LOG = Logger.getLogger(JsonErrors.class);

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return bad("unknown field '" + e.getPropertyName() + "'" + at(e) + "; known: "
                + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return bad("JSON does not fit the request" + at(e) + ": " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        return bad("JSON does not fit the request" + at(e) + ": " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response unparsable(JsonParseException e) {
        return bad("malformed JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response tooLarge(StreamConstraintsException e) {
        return bad("JSON refused: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return bad("JSON refused: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response jaxrs(WebApplicationException e) {
        // Quarkus's JSON reader wraps some parse errors (a duplicate key among them) in a bare 400
        if (e.getCause() instanceof JsonProcessingException json) {
            return describe(json);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(status, e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response unforeseen(RuntimeException e) {
        LOG.error("unhandled error", e);
        return Response.status(500).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(500, "internal error (logged): " + e.getClass().getSimpleName())).build();
    }

    private Response describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown);
        }
        if (e instanceof JsonMappingException mapping) {
            return mapping(mapping);
        }
        return e instanceof JsonParseException ? unparsable((JsonParseException) e) : json(e);
    }

    private static String at(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        return path.isEmpty() ? "" : " at " + path.substring(path.startsWith(".") ? 1 : 0);
    }

    private static Response bad(String message) {
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(new ErrorResponse(400, message)).build();
    }
}
