package io.rankops.api.security;

import static io.restassured.RestAssured.given;
import static io.rankops.api.support.TestAccounts.ADMIN;
import static io.rankops.api.support.TestAccounts.ENGINEER;
import static io.rankops.api.support.TestAccounts.RELEASE_MANAGER;

import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.support.TestAccounts;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every protected endpoint, called anonymously and as every role. A caller the endpoint admits
 * gets past security to the endpoint's own answer (an unknown id's 404, an empty body's 400);
 * anybody else gets 401 (no credentials) or 403 (wrong role). No call here starts a workflow.
 */
@QuarkusTest
class RbacTest {

    static final String ANONYMOUS = "anonymous";
    static final Set<String> EVERY_ROLE = Set.of(ENGINEER, RELEASE_MANAGER, ADMIN);

    record Endpoint(String method, String path, String body, Set<String> admitted, int admittedStatus) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/me", null, EVERY_ROLE, 200),
            new Endpoint("GET", "/api/runs", null, EVERY_ROLE, 200),
            new Endpoint("POST", "/api/runs", "{}", Set.of(ENGINEER, ADMIN), 400),
            new Endpoint("GET", "/api/runs/run-absent", null, EVERY_ROLE, 404),
            new Endpoint("POST", "/api/runs/run-absent/cancel", null, EVERY_ROLE, 404),
            new Endpoint("GET", "/api/runs/run-absent/events", null, EVERY_ROLE, 404),
            new Endpoint("GET", "/api/runs/run-absent/metrics", null, EVERY_ROLE, 404),
            new Endpoint("POST", "/api/runs/run-absent/decision", "{\"approved\": true}", Set.of(RELEASE_MANAGER, ADMIN), 404),
            new Endpoint("GET", "/api/approvals", null, Set.of(RELEASE_MANAGER, ADMIN), 200),
            new Endpoint("GET", "/api/runs/run-absent/rollout", null, EVERY_ROLE, 404),
            new Endpoint("POST", "/api/runs/run-absent/rollout/pause", "{}", Set.of(RELEASE_MANAGER, ADMIN), 404),
            new Endpoint("POST", "/api/runs/run-absent/rollout/abort", "{}", Set.of(RELEASE_MANAGER, ADMIN), 404),
            new Endpoint("GET", "/api/models/rbac-absent-model/versions", null, EVERY_ROLE, 404),
            new Endpoint("GET", "/api/schedules", null, EVERY_ROLE, 200),
            new Endpoint("POST", "/api/schedules", "{}", Set.of(ENGINEER, ADMIN), 400),
            new Endpoint("GET", "/api/schedules/rbac-absent", null, EVERY_ROLE, 404),
            new Endpoint("POST", "/api/schedules/rbac-absent/pause", "{}", Set.of(ENGINEER, ADMIN), 404),
            new Endpoint("POST", "/api/schedules/rbac-absent/unpause", "{}", Set.of(ENGINEER, ADMIN), 404),
            new Endpoint("POST", "/api/schedules/rbac-absent/trigger", null, Set.of(ENGINEER, ADMIN), 404),
            new Endpoint("POST", "/api/schedules/rbac-absent/backfill", "{\"start\": \"2025-01-01\", \"end\": \"2025-01-07\"}",
                    Set.of(ENGINEER, ADMIN), 404),
            new Endpoint("DELETE", "/api/schedules/rbac-absent", null, Set.of(ENGINEER, ADMIN), 404));

    @Inject
    TestAccounts accounts;

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            cases.add(Arguments.of(endpoint, ANONYMOUS, 401));
            for (String account : List.of(ENGINEER, RELEASE_MANAGER, ADMIN)) {
                cases.add(Arguments.of(endpoint, account, endpoint.admitted().contains(account) ? endpoint.admittedStatus() : 403));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @MethodSource("matrix")
    void answersEachCallerAsItsRoleAllows(Endpoint endpoint, String caller, int expected) {
        RequestSpecification request = ANONYMOUS.equals(caller) ? given() : accounts.as(caller);
        if (endpoint.body() != null) {
            request = request.contentType(ContentType.JSON).body(endpoint.body());
        }
        request.when().request(endpoint.method(), endpoint.path()).then().statusCode(expected);
    }

    @ParameterizedTest(name = "public {0}")
    @MethodSource("publicPaths")
    void leavesHealthAndTheWebUiOpen(String path) {
        given().when().get(path).then().statusCode(200);
    }

    static Stream<String> publicPaths() {
        return Stream.of("/q/health/live", "/", "/q/openapi");
    }
}
