package io.rankops.api.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.support.Database;
import io.rankops.api.support.TestAccounts;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cross-site request forgery protection (RequestGuard): a state change signed in with the session
 * cookie needs the header X-Rankops-Csrf: 1 and, when it names one, the API's own Origin; the
 * sign-in itself is refused from a foreign Origin. HTTP Basic callers without a cookie are not
 * affected. No refused request writes anything.
 */
@QuarkusTest
class CsrfTest {

    static final String HEADER = RequestGuard.CSRF_HEADER;
    static final String FOREIGN = "http://127.0.0.1:5500";
    /** Refused before validation, so the body does not matter; accepted, it is a 400 (nothing is started). */
    static final String EMPTY_RUN = "{}";

    @Inject
    TestAccounts accounts;
    @Inject
    Database database;
    @TestHTTPResource("/")
    URL root;

    private String ownOrigin;

    @BeforeEach
    void origin() {
        ownOrigin = root.getProtocol() + "://" + root.getHost() + ":" + root.getPort();
    }

    private Cookie signIn(String account) {
        Response login = given().contentType(ContentType.URLENC).header("Origin", ownOrigin)
                .formParam("username", accounts.username(account)).formParam("password", accounts.password())
                .when().post("/api/session");
        assertEquals(200, login.statusCode(), login.asString());
        Cookie session = login.getDetailedCookie("rankops-session");
        assertNotNull(session);
        return session;
    }

    @Test
    void aCookieRequestWithoutTheHeaderIsRefusedAndWritesNothing() {
        Cookie session = signIn(TestAccounts.ENGINEER);
        long runs = database.count("pipeline_run");
        long audits = database.count("audit_log");

        given().cookie(session).contentType(ContentType.JSON).body(EMPTY_RUN)
                .when().post("/api/runs")
                .then().statusCode(403).contentType(ContentType.JSON)
                .body("status", equalTo(403))
                .body("detail", containsString(HEADER));
        given().cookie(session).when().post("/api/runs/run-absent/cancel").then().statusCode(403);
        given().cookie(session).when().delete("/api/schedules/csrf-absent").then().statusCode(403);
        given().cookie(session).header(HEADER, "yes").contentType(ContentType.JSON).body(EMPTY_RUN)
                .when().post("/api/runs").then().statusCode(403);

        assertEquals(runs, database.count("pipeline_run"));
        assertEquals(audits, database.count("audit_log"));
    }

    @Test
    void aCookieRequestFromAForeignOriginIsRefusedEvenWithTheHeader() {
        Cookie session = signIn(TestAccounts.ADMIN);
        long audits = database.count("audit_log");
        for (String origin : new String[] {FOREIGN, "null", "https://" + root.getHost() + ":" + root.getPort(),
                ownOrigin + ".evil.example", "not a url"}) {
            given().cookie(session).header(HEADER, "1").header("Origin", origin)
                    .contentType(ContentType.JSON).body(EMPTY_RUN)
                    .when().post("/api/runs")
                    .then().statusCode(403).contentType(ContentType.JSON)
                    .body("detail", containsString("cross-origin"));
        }
        assertEquals(audits, database.count("audit_log"));
    }

    @Test
    void aSameOriginCookieRequestWithTheHeaderGetsThrough() {
        Cookie session = signIn(TestAccounts.ENGINEER);
        given().cookie(session).header(HEADER, "1").header("Origin", ownOrigin)
                .contentType(ContentType.JSON).body(EMPTY_RUN)
                .when().post("/api/runs")
                .then().statusCode(400).body("violations.field", hasItem("modelFamily"));
        // Without an Origin (older browsers on same-origin requests, scripts) the header suffices.
        given().cookie(session).header(HEADER, "1")
                .when().post("/api/runs/run-absent/cancel")
                .then().statusCode(404);
        // Reads need neither.
        given().cookie(session).header("Origin", FOREIGN).when().get("/api/me").then().statusCode(200);
    }

    @Test
    void basicAuthWithoutACookieIsNotAffected() {
        accounts.as(TestAccounts.ENGINEER).header("Origin", FOREIGN).contentType(ContentType.JSON).body(EMPTY_RUN)
                .when().post("/api/runs")
                .then().statusCode(400);
        accounts.as(TestAccounts.ENGINEER).when().post("/api/runs/run-absent/cancel").then().statusCode(404);
    }

    @Test
    void signInFromAForeignOriginIsRefusedWithoutACookie() {
        Response login = given().contentType(ContentType.URLENC).header("Origin", FOREIGN)
                .formParam("username", accounts.username(TestAccounts.ENGINEER)).formParam("password", accounts.password())
                .when().post("/api/session");
        assertEquals(403, login.statusCode(), login.asString());
        assertNull(login.getDetailedCookie("rankops-session"));
        assertTrue(login.asString().contains("cross-origin"), login.asString());
    }

    @Test
    void signOutWithTheCookieNeedsTheHeaderToo() {
        Cookie session = signIn(TestAccounts.ENGINEER);
        given().cookie(session).when().delete("/api/session").then().statusCode(403)
                .header("Set-Cookie", nullValue());
        given().cookie(session).header(HEADER, "1").header("Origin", ownOrigin).when().delete("/api/session")
                .then().statusCode(204).header("Set-Cookie", containsString("Max-Age=0"));
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictAndExpires() {
        Response login = given().contentType(ContentType.URLENC)
                .formParam("username", accounts.username(TestAccounts.ENGINEER)).formParam("password", accounts.password())
                .when().post("/api/session");
        String setCookie = login.getHeader("Set-Cookie");
        assertTrue(setCookie.startsWith("rankops-session="), setCookie);
        assertTrue(setCookie.contains("HTTPOnly") || setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        assertTrue(setCookie.contains("Max-Age=43200"), "twelve hours, the session's absolute lifetime: " + setCookie);
        assertTrue(!setCookie.contains("Secure"), "plain HTTP outside the prod profile: " + setCookie);
    }

    @Test
    void aSignInThatIsNoFormIsRefusedWithA4xx() {
        given().contentType(ContentType.JSON).body("{\"username\": \"x\", \"password\": \"y\"}")
                .when().post("/api/session")
                .then().statusCode(415).contentType(ContentType.JSON);
        given().contentType(ContentType.TEXT).body("username=x&password=y")
                .when().post("/api/session").then().statusCode(415).contentType(ContentType.JSON);
        given().contentType(ContentType.URLENC).formParam("username", accounts.username(TestAccounts.ENGINEER))
                .when().post("/api/session")
                .then().statusCode(400).contentType(ContentType.JSON).body("violations.field", hasItem("password"));
    }

    @Test
    void malformedBasicCredentialsAre401NotA500() {
        for (String header : new String[] {"Basic !!!!", "Basic " + java.util.Base64.getEncoder().encodeToString(
                "no-colon".getBytes(java.nio.charset.StandardCharsets.UTF_8)), "basic %%%"}) {
            given().header("Authorization", header).when().get("/api/me")
                    .then().statusCode(401).contentType(ContentType.JSON).body("detail", containsString("Basic"));
        }
    }

    @Test
    void theProbeNeedsASignedInUser() {
        given().when().post("/api/status/probe").then().statusCode(401);
    }
}
