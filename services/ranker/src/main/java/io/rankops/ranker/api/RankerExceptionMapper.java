package io.rankops.ranker.api;

import io.rankops.ranker.serving.RankerException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public class RankerExceptionMapper implements ExceptionMapper<RankerException> {

    @Override
    public Response toResponse(RankerException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(e.status(), e.getMessage())).build();
    }
}
