package io.rankops.api.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.support.TestAccounts;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions end (absolute lifetime, idle timeout), and guessing passwords slows to a crawl. */
@QuarkusTest
class SessionLifecycleTest {

    @Inject
    TestAccounts accounts;
    @Inject
    EntityManager db;

    @AfterEach
    void forgetFailures() {
        // The address key is loopback for every test: leave no block behind for the others.
        QuarkusTransaction.requiringNew().run(() -> db.createNativeQuery("DELETE FROM sign_in_failure").executeUpdate());
    }

    private Response signIn(String username, String password) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("username", username).formParam("password", password)
                .when().post("/api/session");
    }

    private Cookie session(String account) {
        Response login = signIn(accounts.username(account), accounts.password());
        assertEquals(200, login.statusCode(), login.asString());
        Cookie cookie = login.getDetailedCookie("rankops-session");
        assertNotNull(cookie);
        return cookie;
    }

    private void age(Cookie cookie, String column, String by) {
        String hash = SessionStore.sha256(cookie.getValue());
        QuarkusTransaction.requiringNew().run(() -> db.createNativeQuery(
                "UPDATE user_session SET " + column + " = " + column + " - interval '" + by + "' WHERE token_sha256 = ?1")
                .setParameter(1, hash).executeUpdate());
    }

    @Test
    void aSessionEndsAtItsAbsoluteLifetimeHoweverBusy() {
        Cookie cookie = session(TestAccounts.ENGINEER);
        given().cookie(cookie).when().get("/api/me").then().statusCode(200);
        age(cookie, "expires_at", "12 hours 1 second");
        given().cookie(cookie).when().get("/api/me").then().statusCode(401);
    }

    @Test
    void anIdleSessionEnds() {
        Cookie cookie = session(TestAccounts.RELEASE_MANAGER);
        age(cookie, "last_seen_at", "8 hours 1 second");
        given().cookie(cookie).when().get("/api/me").then().statusCode(401);
    }

    @Test
    void aCookieThatIsNoSessionIsRefused() {
        given().cookie("rankops-session", "x".repeat(SessionStore.TOKEN_CHARS)).when().get("/api/me").then().statusCode(401);
        given().cookie("rankops-session", "short").when().get("/api/me").then().statusCode(401);
    }

    @Test
    void repeatedWrongPasswordsBlockTheAccountEvenForTheRightOne() {
        String username = accounts.username(TestAccounts.OTHER_ENGINEER);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, signIn(username, "guess-" + i).statusCode());
        }
        Response blocked = signIn(username, "guess-5");
        assertEquals(401, blocked.statusCode(), "the sixth wrong guess still fails, and sets the block");
        Response rightButBlocked = signIn(username, accounts.password());
        assertEquals(429, rightButBlocked.statusCode(), rightButBlocked.asString());
        assertTrue(Integer.parseInt(rightButBlocked.getHeader("Retry-After")) >= 1);
        assertTrue(rightButBlocked.asString().contains("too many failed sign-ins"), rightButBlocked.asString());
        // HTTP Basic goes through the same check.
        given().auth().preemptive().basic(username, accounts.password()).when().get("/api/me").then().statusCode(401);
        // Another account from the same address is not blocked (the address allows far more failures).
        given().auth().preemptive().basic(accounts.username(TestAccounts.ADMIN), accounts.password())
                .when().get("/api/me").then().statusCode(200).body("username", containsString("t-admin"));
    }
}
