package io.rankops.ranker.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rankops.ranker.support.FeedbackSource;
import io.rankops.ranker.support.ParityVectors;
import io.rankops.ranker.support.RankerAdmin;
import io.rankops.ranker.support.StackFixture;
import io.rankops.ranker.support.UniqueModelProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * POST /v1/feedback counts only events that fit a list the ranker served: the feedback source's
 * credential, the list's token, an item of the list, the funnel in order, each event once, a cap
 * per kind. Every refusal is checked to have counted nothing.
 */
@QuarkusTest
@TestProfile(FeedbackTrustTest.Profile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedbackTrustTest {

    public static class Profile extends UniqueModelProfile {
        @Override
        protected Map<String, String> settings() {
            return Map.of("rankops.ranker.feedback.max-per-kind", "2");
        }
    }

    @ConfigProperty(name = "rankops.ranker.model-name")
    String modelName;

    private StackFixture stack;
    private final Map<String, Number> features = ParityVectors.load("shared_bottom.parity.json").cases().get(0).features();

    /** Once per class, but in a BeforeEach: RestAssured knows the random test port only from there. */
    @BeforeEach
    void registerChampion() {
        if (stack != null) {
            return;
        }
        stack = new StackFixture(modelName);
        stack.setAlias("champion", stack.addVersion(StackFixture.resource("shared_bottom.onnx")));
        RankerAdmin.reload();
    }

    @AfterAll
    void removeModel() {
        stack.close();
    }

    @Test
    void feedbackNeedsTheFeedbackCredential() {
        JsonPath list = rank(1);
        Map<String, Object> event = Map.of("requestId", list.getString("requestId"), "feedbackToken",
                list.getString("feedbackToken"), "itemId", 1, "event", "click");
        long clicks = counter("clicks");
        given().contentType(ContentType.JSON).body(event).post("/v1/feedback")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Basic"));
        given().auth().preemptive().basic(FeedbackSource.user(), "wrong").contentType(ContentType.JSON).body(event)
                .post("/v1/feedback").then().statusCode(401);
        // the worker's admin credential is not a feedback credential
        RankerAdmin.request().contentType(ContentType.JSON).body(event).post("/v1/feedback").then().statusCode(401);
        // other spellings of the path are guarded as well
        for (String path : List.of("/v1/feedback/", "//v1/feedback", "/v1//feedback/")) {
            given().contentType(ContentType.JSON).body(event).post(path).then().statusCode(401);
        }
        FeedbackSource.request().body(event).post("/v1/feedback").then().statusCode(202);
        assertEquals(clicks + 1, counter("clicks"), "only the authenticated event counted");
    }

    @Test
    void aTokenIsRequiredAndMustBeTheListsOwn() {
        JsonPath list = rank(2);
        JsonPath other = rank(2);
        String id = list.getString("requestId");
        String token = list.getString("feedbackToken");
        assertTrue(token.length() >= 22, "128 random bits: " + token);
        assertNotEquals(token, other.getString("feedbackToken"));
        long clicks = counter("clicks");

        FeedbackSource.request().body(Map.of("requestId", id, "itemId", 1, "event", "click")).post("/v1/feedback")
                .then().statusCode(400).body("error", containsString("feedbackToken"));
        FeedbackSource.send(id, "AAAAAAAAAAAAAAAAAAAAAA", 1, "click").statusCode(403).body("error", containsString(id));
        FeedbackSource.send(id, other.getString("feedbackToken"), 1, "click").statusCode(403);
        FeedbackSource.send("never-ranked-" + System.nanoTime(), token, 1, "click").statusCode(404);
        assertEquals(clicks, counter("clicks"), "no refused event counted");

        FeedbackSource.send(id, token, 1, "click").statusCode(202).body("arm", equalTo("champion"))
                .body("modelVersion", equalTo("1"));
        assertEquals(clicks + 1, counter("clicks"));
    }

    @Test
    void onlyItemsOfTheListInFunnelOrderEachOnce() {
        JsonPath list = rank(3);
        String id = list.getString("requestId");
        String token = list.getString("feedbackToken");
        long clicks = counter("clicks");
        long carts = counter("carts");
        long orders = counter("orders");

        FeedbackSource.send(id, token, 99, "click").statusCode(422).body("error", containsString("item 99"));
        FeedbackSource.send(id, token, 1, "like").statusCode(400).body("error", containsString("like"));
        FeedbackSource.send(id, token, 1, "purchase").statusCode(422).body("error", containsString("add_to_cart first"));
        FeedbackSource.send(id, token, 1, "add_to_cart").statusCode(422).body("error", containsString("click first"));
        FeedbackSource.send(id, token, 1, "click").statusCode(202);
        FeedbackSource.send(id, token, 1, "purchase").statusCode(422).body("error", containsString("add_to_cart first"));
        FeedbackSource.send(id, token, 1, "add_to_cart").statusCode(202);
        FeedbackSource.send(id, token, 1, "purchase").statusCode(202);
        for (String kind : List.of("click", "add_to_cart", "purchase")) {
            FeedbackSource.send(id, token, 1, kind).statusCode(409).body("error", containsString("counted already"));
        }
        // a click on item 2 does not open the funnel of item 1's neighbour 3
        FeedbackSource.send(id, token, 2, "click").statusCode(202);
        FeedbackSource.send(id, token, 3, "add_to_cart").statusCode(422);

        assertEquals(clicks + 2, counter("clicks"));
        assertEquals(carts + 1, counter("carts"));
        assertEquals(orders + 1, counter("orders"));
    }

    @Test
    void eventsOfAKindAreCappedPerList() {
        JsonPath list = rank(4); // 3 items; the profile caps each kind at 2 per list
        String id = list.getString("requestId");
        String token = list.getString("feedbackToken");
        long clicks = counter("clicks");
        FeedbackSource.send(id, token, 1, "click").statusCode(202);
        FeedbackSource.send(id, token, 2, "click").statusCode(202);
        FeedbackSource.send(id, token, 3, "click").statusCode(422).body("error", containsString("max-per-kind"));
        assertEquals(clicks + 2, counter("clicks"));
    }

    @Test
    void theMeasuredForgeryAddsNoOrders() {
        // Issue #15: three calls with a caller-chosen requestId added 502 orders to an arm.
        long orders = counter("orders");
        String chosen = "forged-" + System.nanoTime();
        FeedbackSource.send(chosen, "x", 1, "purchase").statusCode(404);
        JsonPath list = rank(5);
        String id = list.getString("requestId");
        FeedbackSource.send(id, "guess", 1, "purchase").statusCode(403);
        FeedbackSource.send(id, list.getString("feedbackToken"), 1, "purchase").statusCode(422);
        given().contentType(ContentType.JSON).body(Map.of("requestId", id, "userId", 5, "region", "US",
                "candidates", List.of(Map.of("itemId", 1, "features", features)))).post("/v1/rank").then().statusCode(409);
        assertEquals(orders, counter("orders"));
    }

    private JsonPath rank(long user) {
        List<Map<String, Object>> candidates = List.of(Map.of("itemId", 1, "features", features),
                Map.of("itemId", 2, "features", features), Map.of("itemId", 3, "features", features));
        return given().contentType(ContentType.JSON).body(Map.of("userId", user, "region", "US", "candidates", candidates))
                .post("/v1/rank").then().statusCode(200).extract().jsonPath();
    }

    private static long counter(String name) {
        return given().get("/v1/arms/metrics").then().statusCode(200).extract().jsonPath().getLong("arms.champion." + name);
    }
}
