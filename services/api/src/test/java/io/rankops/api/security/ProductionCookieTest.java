package io.rankops.api.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rankops.api.support.TestAccounts;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The application under the prod profile (its own configuration, not the test one), on plain HTTP
 * as behind a TLS-terminating proxy: the session cookie is Secure all the same, and expiring it on
 * sign-out is too. Only the database is the test database.
 */
@QuarkusTest
@TestProfile(ProductionCookieTest.Production.class)
class ProductionCookieTest {

    public static class Production implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://${RANKOPS_HOST}:${RANKOPS_PG_PORT}/${RANKOPS_PG_TEST_DB}");
        }
    }

    @Inject
    TestAccounts accounts;

    @Test
    void theSessionCookieIsSecureInProduction() {
        Response login = given().contentType(ContentType.URLENC)
                .formParam("username", accounts.username(TestAccounts.ENGINEER)).formParam("password", accounts.password())
                .when().post("/api/session");
        assertEquals(200, login.statusCode(), login.asString());
        String setCookie = login.getHeader("Set-Cookie");
        assertTrue(setCookie.startsWith("rankops-session="), setCookie);
        assertTrue(setCookie.contains("; Secure"), setCookie);
        assertTrue(setCookie.contains("HTTPOnly") || setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Max-Age=43200"), setCookie);

        String signOut = given().cookie(login.getDetailedCookie("rankops-session")).header(RequestGuard.CSRF_HEADER, "1")
                .when().delete("/api/session").then().statusCode(204).extract().header("Set-Cookie");
        assertTrue(signOut.contains("Max-Age=0") && signOut.contains("Secure"), signOut);
    }
}
