package io.rankops.worker;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Runs against the Temporal dev server that ./rankops started. */
@QuarkusTest
class WorkerHealthTest {

    @Test
    void readyWhenPollingTheRunningTemporalServer() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("temporal-worker"))
                .body("checks.find { it.name == 'temporal-worker' }.data.polling", equalTo(true))
                .body("checks.find { it.name == 'temporal-worker' }.data.serverReachable", equalTo(true));
    }
}
