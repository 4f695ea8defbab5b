package io.rankops.ranker.api;

import io.rankops.ranker.serving.FeedbackEvent;
import io.rankops.ranker.serving.FeedbackLog;
import io.rankops.ranker.serving.RankerException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/v1/feedback")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FeedbackResource {

    private final FeedbackLog log;

    public FeedbackResource(FeedbackLog log) {
        this.log = log;
    }

    @POST
    public Response record(FeedbackRequest feedback) {
        if (feedback == null || feedback.requestId() == null || feedback.itemId() == null) {
            throw RankerException.badRequest("feedback needs requestId, itemId and event");
        }
        FeedbackEvent event = FeedbackEvent.parse(feedback.event());
        FeedbackLog.Served served = log.find(feedback.requestId()).orElseThrow(() -> new RankerException(404,
                "unknown requestId '" + feedback.requestId() + "' (never ranked here, or too old to remember)"));
        if (!served.ranked(feedback.itemId())) {
            throw new RankerException(404, "item " + feedback.itemId() + " was not ranked in request '" + feedback.requestId() + "'");
        }
        boolean counted = served.count(feedback.itemId(), event);
        return Response.accepted(new FeedbackReceipt(served.requestId(), feedback.itemId(), event.wireName(),
                served.arm().alias(), served.modelVersion(), counted)).build();
    }
}
