package io.rankops.api.input;

import io.rankops.api.errors.ApiException;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Path and query parameters must be clean text ({@link TextHygiene}) before any resource looks
 * them up: a NUL in a run id used to reach PostgreSQL and fail the request with a 500.
 */
public class ParameterHygiene {

    @ServerRequestFilter
    public void check(UriInfo uri) {
        checkAll(uri.getPathParameters());
        checkAll(uri.getQueryParameters());
    }

    private static void checkAll(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String nameProblem = TextHygiene.problem(parameter.getKey());
            if (nameProblem != null) {
                throw ApiException.invalid("parameter name", nameProblem);
            }
            for (String value : parameter.getValue()) {
                String problem = TextHygiene.problem(value);
                if (problem != null) {
                    throw ApiException.invalid(parameter.getKey(), problem);
                }
            }
        }
    }
}
