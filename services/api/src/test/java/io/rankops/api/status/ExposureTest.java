package io.rankops.api.status;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.support.TestAccounts;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** What an outsider learns, and the limits every caller meets. */
@QuarkusTest
class ExposureTest {

    @Inject
    TestAccounts accounts;

    @Test
    void anonymousCallersSeeOnlyUpOrDown() {
        given().when().get("/api/status").then().statusCode(200)
                .body("components.name", everyItem(notNullValue()))
                .body("components.detail", everyItem(nullValue()))
                .body("components.url", everyItem(nullValue()));
        accounts.as(TestAccounts.ENGINEER).when().get("/api/status").then().statusCode(200)
                .body("components.find { it.name == 'postgresql' }.detail", containsString("PostgreSQL"));
    }

    @Test
    void everyAnswerForbidsFramingAndSniffing() {
        given().when().get("/api/status").then()
                .header("X-Frame-Options", equalTo("DENY"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", equalTo("nosniff"));
        given().when().get("/").then()
                .header("X-Frame-Options", equalTo("DENY"));
    }

    @Test
    void pagingAndPathsOutOfBoundsAre400NotServerErrors() {
        accounts.as(TestAccounts.ENGINEER).queryParam("page", Integer.MAX_VALUE).when().get("/api/runs")
                .then().statusCode(400).body("violations[0].message", notNullValue());
        accounts.as(TestAccounts.ENGINEER).when().get("/api/models/a%2Fb/versions").then().statusCode(400);
        accounts.as(TestAccounts.ENGINEER).when().get("/api/models/" + "m".repeat(200) + "/versions").then().statusCode(400);
    }

    @Test
    void aHugeBodyIsRefusedBeforeItIsParsed() {
        StringBuilder weights = new StringBuilder("{\"modelFamily\": \"mmoe\", \"window\": {\"start\": \"2025-01-01\", "
                + "\"end\": \"2025-01-07\"}, \"params\": {\"taskLossWeights\": {");
        for (int i = 0; i < 40_000; i++) {
            weights.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": 1.0");
        }
        weights.append("}}}");
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(weights.toString())
                .when().post("/api/runs").then().statusCode(413);
        // Small enough to parse, too many entries to be a run.
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body("{\"modelFamily\": \"mmoe\", \"window\": {\"start\": \"2025-01-01\", \"end\": \"2025-01-07\"}, "
                        + "\"params\": {\"taskLossWeights\": {\"click\": 1, \"cart\": 1, \"purchase\": 1, \"x\": 1}}}")
                .when().post("/api/runs").then().statusCode(400)
                .body("violations.message", org.hamcrest.Matchers.hasItem("at most one weight per task (click, cart, purchase)"));
    }
}
