package io.rankops.ranker.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** POST /v1/feedback as the event pipeline sends it: the feedback credential and the list's token. */
public final class FeedbackSource {

    public static String user() {
        return ConfigProvider.getConfig().getValue("rankops.ranker.feedback-user", String.class);
    }

    public static String password() {
        return ConfigProvider.getConfig().getValue("rankops.ranker.feedback-password", String.class);
    }

    public static RequestSpecification request() {
        return given().auth().preemptive().basic(user(), password()).contentType(ContentType.JSON);
    }

    /** Sends one event and answers the response, whatever its status. */
    public static ValidatableResponse send(String requestId, String token, long itemId, String event) {
        return request().body(Map.of("requestId", requestId, "feedbackToken", token, "itemId", itemId, "event", event))
                .post("/v1/feedback").then();
    }

    private FeedbackSource() {
    }
}
