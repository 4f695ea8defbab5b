package io.rankops.api.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.db.NativeValues;
import io.rankops.api.errors.ApiError;
import io.rankops.workflows.pipeline.GateMetric;
import io.rankops.workflows.pipeline.GatePolicy;
import io.rankops.workflows.pipeline.PipelineRequest;
import io.rankops.workflows.rollout.RolloutPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Owner of table platform_policy: the floor every run is held to, whoever or whatever starts it.
 * Runs below it are refused when they start (people and schedules) and cannot be approved (a floor
 * raised while a run waits holds it too).
 */
@ApplicationScoped
public class PlatformPolicy {

    private final EntityManager db;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final PolicyFloor configured;

    public PlatformPolicy(EntityManager db, ObjectMapper json, AuditLog audit,
            @ConfigProperty(name = "rankops.policy.floor.max-k") int maxK,
            @ConfigProperty(name = "rankops.policy.floor.min-weighted-recall") double minWeightedRecall,
            @ConfigProperty(name = "rankops.policy.floor.max-regression") double maxRegression,
            @ConfigProperty(name = "rankops.policy.floor.require-canary") boolean requireCanary,
            @ConfigProperty(name = "rankops.policy.floor.min-bake-seconds") long minBakeSeconds,
            @ConfigProperty(name = "rankops.policy.floor.min-users-per-arm") long minUsersPerArm,
            @ConfigProperty(name = "rankops.policy.floor.max-first-step-percent") double maxFirstStepPercent,
            @ConfigProperty(name = "rankops.policy.floor.min-steps") int minSteps,
            @ConfigProperty(name = "rankops.policy.floor.max-prerank-k") int maxPrerankK) {
        this.db = db;
        this.json = json;
        this.audit = audit;
        this.configured = new PolicyFloor(maxK, minWeightedRecall, maxRegression, requireCanary, minBakeSeconds, minUsersPerArm,
                maxFirstStepPercent, minSteps, maxPrerankK);
    }

    /** The admin's floor if one was set, else the configured one. */
    @Transactional
    public PolicyView current() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = db.createNativeQuery("SELECT CAST(floor AS TEXT), updated_by, updated_at FROM platform_policy WHERE id = 1")
                .getResultList();
        if (rows.isEmpty()) {
            return new PolicyView(configured, null, null);
        }
        Object[] row = rows.get(0);
        try {
            PolicyFloor stored = json.readValue((String) row[0], PolicyFloor.class);
            if (stored.maxPrerankK() == null) { // set before the pre-rank gate existed
                stored = new PolicyFloor(stored.maxK(), stored.minWeightedRecall(), stored.maxRegression(),
                        stored.requireCanary(), stored.minBakeSeconds(), stored.minUsersPerArm(),
                        stored.maxFirstStepPercent(), stored.minSteps(), configured.maxPrerankK());
            }
            return new PolicyView(stored, (String) row[1], NativeValues.offsetDateTime(row[2]));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("platform_policy holds a floor this API cannot read", e);
        }
    }

    /** Replaces the floor; audited with the old and the new one. */
    @Transactional
    public PolicyView update(PolicyFloor floor, String admin) {
        PolicyView before = current();
        db.createNativeQuery("""
                INSERT INTO platform_policy (id, floor, updated_by) VALUES (1, CAST(?1 AS JSONB), ?2)
                ON CONFLICT (id) DO UPDATE SET floor = EXCLUDED.floor, updated_by = EXCLUDED.updated_by, updated_at = now()""")
                .setParameter(1, toJson(floor)).setParameter(2, admin).executeUpdate();
        audit.record(admin, "policy.update", "policy:floor", toJson(before.floor()), toJson(floor));
        return current();
    }

    /** Every way the run is looser than the floor, as violations naming the request's fields. */
    public List<ApiError.Violation> violations(PipelineRequest run) {
        PolicyFloor floor = current().floor();
        List<ApiError.Violation> found = new ArrayList<>();
        GatePolicy gate = run.gate();
        if (gate.gateMetric() == GateMetric.PRERANK_WR) {
            if (gate.k() > floor.maxPrerankK()) {
                found.add(new ApiError.Violation("gate.k", "pre-rank WR@" + gate.k() + " looks beyond what a pre-ranker "
                        + "keeps: the platform allows K at most " + floor.maxPrerankK() + " for prerank_wr"));
            }
        } else if (gate.k() > floor.maxK()) {
            found.add(new ApiError.Violation("gate.k", "WR@" + gate.k() + " is an easier bar than the platform allows: "
                    + "K at most " + floor.maxK()));
        }
        if (gate.minWeightedRecall() < floor.minWeightedRecall()) {
            found.add(new ApiError.Violation("gate.minWeightedRecall", gate.minWeightedRecall()
                    + " is below the platform's floor " + floor.minWeightedRecall()));
        }
        if (gate.maxRegression() > floor.maxRegression()) {
            found.add(new ApiError.Violation("gate.maxRegression", gate.maxRegression()
                    + " allows more regression than the platform's floor " + floor.maxRegression()));
        }
        if (allZero(gate.engagementWeights())) {
            found.add(new ApiError.Violation("gate.engagementWeights", "every weight is 0: pre-rank WR@K would count nothing"));
        }
        if (allZero(run.params().taskLossWeights())) {
            found.add(new ApiError.Violation("params.taskLossWeights", "every weight is 0: the model would learn nothing"));
        }
        RolloutPolicy rollout = run.rollout();
        if (rollout == null) {
            if (floor.requireCanary()) {
                found.add(new ApiError.Violation("rollout", "the platform requires a canary rollout for every run"));
            }
            return found;
        }
        if (rollout.bake().toSeconds() < floor.minBakeSeconds()) {
            found.add(new ApiError.Violation("rollout.bakeSeconds", rollout.bake().toSeconds()
                    + " s is shorter than the platform's floor of " + floor.minBakeSeconds() + " s"));
        }
        if (rollout.minUsersPerArm() < floor.minUsersPerArm()) {
            found.add(new ApiError.Violation("rollout.minUsersPerArm", rollout.minUsersPerArm()
                    + " is below the platform's floor of " + floor.minUsersPerArm() + " users per arm"));
        }
        if (!rollout.stepsPercent().isEmpty() && rollout.stepsPercent().get(0) > floor.maxFirstStepPercent()) {
            found.add(new ApiError.Violation("rollout.stepsPercent", "the first step sends " + rollout.stepsPercent().get(0)
                    + " % of buyers to the candidate; the platform allows at most " + floor.maxFirstStepPercent() + " %"));
        }
        if (rollout.stepsPercent().size() < floor.minSteps()) {
            found.add(new ApiError.Violation("rollout.stepsPercent", rollout.stepsPercent().size()
                    + " step(s); the platform requires at least " + floor.minSteps()));
        }
        return found;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }


    /** Weights given, and every one of them 0 (a missing weight counts as 0). */
    private static boolean allZero(Map<String, Double> weights) {
        return weights != null && !weights.isEmpty() && weights.values().stream().allMatch(w -> w == null || w == 0);
    }
}
