package io.rankops.ranker;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RankerHealthTest {

    @Test
    void readyWithOnnxRuntimeLoaded() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'onnxruntime' }.data.version", startsWith("1."))
                .body("checks.find { it.name == 'onnxruntime' }.data.providers", equalTo("[CPU]"));
    }
}
