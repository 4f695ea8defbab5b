package io.rankops.api.input;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.support.Database;
import io.rankops.api.support.TestAccounts;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input the API used to take wrongly or fail on with a 500: each is now a 400 naming the field
 * (or 401 for credentials), and nothing is written. Found by the reliability suite's fuzzing.
 */
@QuarkusTest
class InputHygieneTest {

    static final String WINDOW = "\"window\": {\"start\": \"2025-01-01\", \"end\": \"2025-01-14\"}";

    @Inject
    TestAccounts accounts;
    @Inject
    Database database;

    static Stream<Arguments> badBodies() {
        return Stream.of(
                // Lenient Jackson took these as other values than the caller wrote.
                Arguments.of("{\"modelFamily\": \"mmoe\", " + WINDOW + ", \"epochz\": 3}", "epochz"),
                Arguments.of("{\"modelFamily\": \"mmoe\", " + WINDOW + ", \"params\": {\"epochs\": \"3\"}}", "params.epochs"),
                Arguments.of("{\"modelFamily\": \"mmoe\", " + WINDOW + ", \"params\": {\"epochs\": 2.7}}", "params.epochs"),
                Arguments.of("{\"modelFamily\": \"mmoe\", " + WINDOW + ", \"regionMask\": \"true\"}", "regionMask"),
                Arguments.of("{\"modelFamily\": \"mmoe\", " + WINDOW + ", \"regionMask\": 1}", "regionMask"),
                Arguments.of("{\"modelFamily\": \"mmoe\", \"window\": {\"start\": 20000, \"end\": \"2025-01-14\"}}", "window.start"),
                Arguments.of("{\"modelFamily\": 7, " + WINDOW + "}", "modelFamily"),
                Arguments.of("{\"modelFamily\": \"mmoe\", \"modelFamily\": \"ple\", " + WINDOW + "}", "body"),
                Arguments.of("{\"modelFamily\": \"mmoe\", " + WINDOW + "} trailing", "body"),
                // Used to be a bare 400 without a field.
                Arguments.of("{\"modelFamily\": ", "body"),
                Arguments.of("not json", "body"),
                // Text PostgreSQL cannot store, or that is no Unicode.
                Arguments.of("{\"modelFamily\": \"mm\\u0000oe\", " + WINDOW + "}", "modelFamily"),
                Arguments.of("{\"modelFamily\": \"mmoe\", " + WINDOW + ", \"modelName\": \"a\\ud800\"}", "modelName"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void aBadRunBodyIsA400NamingTheField(String body, String field) {
        long runs = database.count("pipeline_run");
        long audits = database.count("audit_log");
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(body)
                .when().post("/api/runs")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("title", equalTo("invalid request"))
                .body("violations.field", hasItem(field));
        assertEquals(runs, database.count("pipeline_run"));
        assertEquals(audits, database.count("audit_log"));
    }

    @Test
    void freeTextWithANulIsRefusedBeforeItReachesTheDatabase() {
        long audits = database.count("audit_log");
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body("{\"id\": \"nul-text\", \"cron\": \"@weekly\", \"windowDays\": 7, \"description\": \"a\\u0000b\","
                        + " \"run\": {\"modelFamily\": \"mmoe\"}}")
                .when().post("/api/schedules")
                .then().statusCode(400).body("violations.field", hasItem("description"))
                .body("violations.message", hasItem(containsString("NUL")));
        accounts.as(TestAccounts.RELEASE_MANAGER).contentType(ContentType.JSON)
                .body("{\"approved\": false, \"comment\": \"no\\u0000\"}")
                .when().post("/api/runs/run-absent/decision")
                .then().statusCode(400).body("violations.field", hasItem("comment"));
        assertEquals(audits, database.count("audit_log"));
    }

    @Test
    void aNulInAPathOrQueryParameterIsA400NotA500() {
        accounts.as(TestAccounts.ENGINEER).urlEncodingEnabled(false).when().get("/api/runs/run-%00")
                .then().statusCode(400).body("violations.field", hasItem("id"));
        accounts.as(TestAccounts.ENGINEER).urlEncodingEnabled(false).when().post("/api/runs/run-%00/cancel")
                .then().statusCode(400);
        accounts.as(TestAccounts.ENGINEER).urlEncodingEnabled(false).when().get("/api/runs?status=%00")
                .then().statusCode(400).body("violations.field", hasItem("status"));
    }

    @Test
    void credentialsWithANulAreRefusedNotLookedUp() {
        RestAssured.given().auth().preemptive().basic("a\u0000b", "x").when().get("/api/me").then().statusCode(401);
        // bcrypt stops at a NUL: without the check, "password\0anything" would sign in as the account.
        RestAssured.given().auth().preemptive().basic(accounts.username(TestAccounts.ENGINEER), accounts.password() + "\u0000x")
                .when().get("/api/me").then().statusCode(401);
        RestAssured.given().contentType(ContentType.URLENC).formParam("username", "er\u0000in").formParam("password", "x")
                .when().post("/api/session").then().statusCode(401);
    }

    @Test
    void errorsDoNotEchoAMegabyteOfInput() {
        // A megabyte is over the body limit (413 unread); 200 KB is parsed and refused without an echo.
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body("{\"modelFamily\": \"mmoe\", \"window\": {\"start\": \"" + "x".repeat(1_000_000) + "\"}}")
                .when().post("/api/runs").then().statusCode(413);
        String huge = "x".repeat(200_000);
        String answer = accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .body("{\"modelFamily\": \"mmoe\", \"window\": {\"start\": \"" + huge + "\", \"end\": \"2025-01-14\"}}")
                .when().post("/api/runs")
                .then().statusCode(400).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(answer.length() < 5_000, "answer of " + answer.length() + " chars");
    }
}
