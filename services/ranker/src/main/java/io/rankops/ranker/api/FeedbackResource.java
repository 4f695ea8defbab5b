package io.rankops.ranker.api;

import io.rankops.ranker.RankerSettings;
import io.rankops.ranker.serving.FeedbackEvent;
import io.rankops.ranker.serving.Impression;
import io.rankops.ranker.serving.Impressions;
import io.rankops.ranker.serving.RankerException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Funnel events for a list the ranker served: the canary's only evidence, so each is checked
 * against the remembered list before it counts (the caller's credential is checked earlier, by
 * {@link CredentialFilter}).
 */
@Path("/v1/feedback")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FeedbackResource {

    private final Impressions impressions;
    private final int maxPerKind;
    private final int maxRequestIdLength;

    public FeedbackResource(Impressions impressions, RankerSettings settings) {
        this.impressions = impressions;
        this.maxPerKind = settings.feedback().maxPerKind();
        this.maxRequestIdLength = settings.maxRequestIdLength();
    }

    @POST
    public Response record(FeedbackRequest feedback) {
        if (feedback == null || feedback.requestId() == null || feedback.itemId() == null) {
            throw RankerException.badRequest("feedback needs requestId, feedbackToken, itemId and event");
        }
        if (feedback.requestId().length() > maxRequestIdLength) {
            throw RankerException.badRequest("requestId has " + feedback.requestId().length() + " characters; no ranked"
                    + " list has one longer than " + maxRequestIdLength);
        }
        if (feedback.feedbackToken() == null || feedback.feedbackToken().isEmpty()) {
            throw RankerException.badRequest("feedback needs the feedbackToken POST /v1/rank returned with request '"
                    + feedback.requestId() + "'");
        }
        FeedbackEvent event = FeedbackEvent.parse(feedback.event());
        String requestId = feedback.requestId();
        long itemId = feedback.itemId();
        Impression served = impressions.find(requestId).orElseThrow(() -> new RankerException(404,
                "unknown requestId '" + requestId + "' (never ranked here, or too old to remember)"));
        if (!served.tokenMatches(feedback.feedbackToken())) {
            throw new RankerException(403, "feedbackToken is not the one issued with request '" + requestId + "'");
        }
        return switch (served.record(itemId, event, maxPerKind)) {
            case COUNTED -> Response.accepted(new FeedbackReceipt(requestId, itemId, event.wireName(), served.arm().alias(),
                    served.modelVersion())).build();
            case NOT_IN_LIST -> throw new RankerException(422, "item " + itemId + " was not in the list ranked for request '"
                    + requestId + "'");
            case DUPLICATE -> throw new RankerException(409, event.wireName() + " of item " + itemId + " in request '"
                    + requestId + "' was counted already (each event counts once; a retry can stop here)");
            case FUNNEL_BROKEN -> throw new RankerException(422, event.wireName() + " of item " + itemId + " in request '"
                    + requestId + "' needs its " + event.requires().wireName() + " first (click, then add_to_cart, then purchase)");
            case CAP_REACHED -> throw new RankerException(422, "request '" + requestId + "' has had "
                    + Math.min(maxPerKind, served.size()) + " " + event.wireName() + " events, the most one list of "
                    + served.size() + " items may count (rankops.ranker.feedback.max-per-kind)");
        };
    }
}
