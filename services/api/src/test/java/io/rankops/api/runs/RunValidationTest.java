package io.rankops.api.runs;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.rankops.api.support.Database;
import io.rankops.api.support.TestAccounts;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad requests get 400 naming each bad field, and leave no run row and no audit entry behind. */
@QuarkusTest
class RunValidationTest {

    static final String VALID = """
            {"modelFamily": "resflow", "window": {"start": "2025-01-01", "end": "2025-01-14"}}""";

    @Inject
    TestAccounts accounts;
    @Inject
    Database database;

    static Stream<Arguments> badRuns() {
        return Stream.of(
                Arguments.of("{}", new String[] {"modelFamily", "window"}),
                Arguments.of("""
                        {"modelFamily": "xgboost", "window": {"start": "2025-01-01", "end": "2025-01-14"}}""",
                        new String[] {"modelFamily"}),
                Arguments.of("""
                        {"modelFamily": "mmoe", "window": {"start": "2025-02-01", "end": "2025-01-14"}}""",
                        new String[] {"window.end"}),
                Arguments.of("""
                        {"modelFamily": "mmoe", "window": {"start": "2025-01-01", "end": "2025-06-30"}}""",
                        new String[] {"window.end"}),
                Arguments.of("""
                        {"modelFamily": "ple", "window": {"start": "2025-01-01", "end": "2025-01-14"},
                         "regions": ["US", "us-east"], "device": "tpu", "approvalTimeoutHours": 0, "trigger": "schedule"}""",
                        new String[] {"regions[1]", "device", "approvalTimeoutHours", "trigger"}),
                Arguments.of("""
                        {"modelFamily": "esmm", "window": {"start": "2025-01-01", "end": "2025-01-14"},
                         "params": {"epochs": 0, "batchSize": 4, "learningRate": 0, "embeddingDim": 5000,
                                    "taskLossWeights": {"dwell": 1.0}}}""",
                        new String[] {"params.epochs", "params.batchSize", "params.learningRate", "params.embeddingDim",
                                "params.taskLossWeights[dwell]"}),
                Arguments.of("""
                        {"modelFamily": "seq_md", "window": {"start": "2025-01-01", "end": "2025-01-14"},
                         "gate": {"k": 5001, "minWeightedRecall": 1.5, "maxRegression": -0.1, "regionFloors": {"US": 2.0}}}""",
                        new String[] {"gate.k", "gate.minWeightedRecall", "gate.maxRegression", "gate.regionFloors[US]"}),
                Arguments.of("""
                        {"modelFamily": "mmoe", "window": {"start": "yesterday", "end": "2025-01-14"}}""",
                        new String[] {"window.start"}));
    }

    @ParameterizedTest
    @MethodSource("badRuns")
    void aBadRunRequestNamesEachBadFieldAndCreatesNothing(String body, String[] fields) {
        long runs = database.count("pipeline_run");
        long audits = database.count("audit_log");

        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(body)
                .when().post("/api/runs")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("title", equalTo("invalid request"))
                .body("violations.field", hasItems(fields));

        assertEquals(runs, database.count("pipeline_run"), "no run row");
        assertEquals(audits, database.count("audit_log"), "no audit entry");
    }

    @Test
    void aMissingBodyIsRefused() {
        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON)
                .when().post("/api/runs")
                .then().statusCode(400).body("violations.field", hasItem("body"));
    }

    @Test
    void aDecisionNeedsToSayApprovedOrNot() {
        long audits = database.count("audit_log");
        accounts.as(TestAccounts.RELEASE_MANAGER).contentType(ContentType.JSON).body("{\"comment\": \"fine\"}")
                .when().post("/api/runs/run-absent/decision")
                .then().statusCode(400).body("violations.field", hasItem("approved"));
        assertEquals(audits, database.count("audit_log"));
    }

    @Test
    void pagingIsBounded() {
        accounts.as(TestAccounts.ENGINEER).queryParam("size", 0).queryParam("page", -1)
                .when().get("/api/runs")
                .then().statusCode(400).body("violations.field", hasItems("size", "page"));
    }

    @Test
    void whenTemporalRefusesTheStartNothingIsRecorded() {
        QuarkusMock.installMockForType(new PipelineWorkflows(null) {
            @Override
            public void start(PipelineRequest request) {
                throw new io.grpc.StatusRuntimeException(io.grpc.Status.UNAVAILABLE.withDescription("frontend down"));
            }
        }, PipelineWorkflows.class);
        long runs = database.count("pipeline_run");
        long audits = database.count("audit_log");

        accounts.as(TestAccounts.ENGINEER).contentType(ContentType.JSON).body(VALID)
                .when().post("/api/runs")
                .then().statusCode(503)
                .body("detail", org.hamcrest.Matchers.containsString("frontend down"));

        assertEquals(runs, database.count("pipeline_run"), "the run row rolled back");
        assertEquals(audits, database.count("audit_log"), "the audit entry rolled back");
    }
}
