package io.rankops.api.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.support.TestAccounts;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthenticationTest {

    @Inject
    TestAccounts accounts;
    @Inject
    UserRepository users;

    @Test
    void basicAuthenticationAnswersWhoIAm() {
        accounts.as(TestAccounts.RELEASE_MANAGER).when().get("/api/me")
                .then().statusCode(200)
                .body("username", equalTo(accounts.username(TestAccounts.RELEASE_MANAGER)))
                .body("roles", contains(Roles.RELEASE_MANAGER));
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsUnauthorized() {
        given().auth().preemptive().basic(accounts.username(TestAccounts.ADMIN), "not-the-password")
                .when().get("/api/me").then().statusCode(401);
        given().auth().preemptive().basic("nobody-" + UUID.randomUUID(), accounts.password())
                .when().get("/api/me").then().statusCode(401);
    }

    @Test
    void theBrowserSignsInWithAnHttpOnlyStrictSessionCookieAndOut() {
        String username = accounts.username(TestAccounts.ENGINEER);
        Response login = given().contentType("application/x-www-form-urlencoded")
                .formParam("username", username).formParam("password", accounts.password())
                .when().post("/api/session");
        assertEquals(200, login.statusCode(), login.asString());
        Cookie session = login.getDetailedCookie("rankops-session");
        assertNotNull(session, "the session cookie is set");
        assertTrue(session.isHttpOnly(), "scripts cannot read the session cookie");
        assertTrue(session.getSameSite().equalsIgnoreCase("strict"), session.toString());

        given().cookie(session).when().get("/api/me")
                .then().statusCode(200).body("username", equalTo(username)).body("roles", contains(Roles.ML_ENGINEER));

        given().cookie(session).header(RequestGuard.CSRF_HEADER, "1").when().delete("/api/session")
                .then().statusCode(204)
                .header("Set-Cookie", containsString("rankops-session=;"))
                .header("Set-Cookie", containsString("Max-Age=0"));
        // Revoked server-side: a copy of the old cookie no longer signs anyone in.
        given().cookie(session).when().get("/api/me").then().statusCode(401);
    }

    @Test
    void aWrongPasswordSetsNoSessionCookie() {
        Response login = given().contentType("application/x-www-form-urlencoded")
                .formParam("username", accounts.username(TestAccounts.ENGINEER)).formParam("password", "wrong")
                .when().post("/api/session");
        assertEquals(401, login.statusCode());
        assertEquals(null, login.getDetailedCookie("rankops-session"));
    }

    @Test
    void anonymousCallersGet401WithoutABrowserBasicPrompt() {
        // The session mechanism's challenge (a bare 401) answers, so the web UI shows its own sign-in
        // instead of the browser's Basic dialog; scripts send Basic credentials preemptively.
        given().when().get("/api/me").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void demoUsersAreSeededOneForEachRoleWithTheSharedPassword() {
        String password = "demo-" + UUID.randomUUID();
        new DemoUsers(users, true, Optional.of(password), false).seed();

        DemoUsers.ACCOUNTS.forEach((username, role) -> given().auth().preemptive().basic(username, password)
                .when().get("/api/me").then().statusCode(200).body("roles", contains(role)));
        User rita = QuarkusTransaction.requiringNew().call(() -> users.find("rita").orElseThrow());
        assertTrue(rita.passwordHash.startsWith("$2"), "only a bcrypt hash is stored");
        assertEquals(1, Arrays.stream(rita.roles).filter(Roles.RELEASE_MANAGER::equals).count());
    }

    @Test
    void demoUsersAreRefusedInProductionAndWithoutAPassword() {
        IllegalStateException production = assertThrows(IllegalStateException.class,
                () -> new DemoUsers(users, true, Optional.of("long-enough-password"), true).seed());
        assertTrue(production.getMessage().contains("production"), production.getMessage());
        IllegalStateException noPassword = assertThrows(IllegalStateException.class,
                () -> new DemoUsers(users, true, Optional.empty(), false).seed());
        assertTrue(noPassword.getMessage().contains("RANKOPS_DEMO_PASSWORD"), noPassword.getMessage());
    }

    @Test
    void theDatabaseRefusesUnknownRoles() {
        assertThrows(RuntimeException.class, () -> users.save("bad-role-" + UUID.randomUUID(), "password-1",
                java.util.List.of("superuser")));
    }
}
