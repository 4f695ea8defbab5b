package io.rankops.workflows.rollout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A ranker whose arms earn known orders per user. Users accumulate per bake in proportion
 * to traffic, as cumulative counters do in the real ranker.
 */
public class SimulatedRanker implements RolloutActivities {

    /** Users reaching the ranker during one bake; the candidate gets its traffic share of them. */
    static final long USERS_PER_BAKE = 20_000;

    public final List<Double> trafficHistory = new CopyOnWriteArrayList<>();
    public final List<String> promoted = new CopyOnWriteArrayList<>();
    private final boolean hasChampion;
    private final double championOrdersPerUser;
    private final double candidateOrdersPerUser;
    private final long usersPerBake;
    private volatile double percent;
    private long championUsers;
    private long candidateUsers;

    public SimulatedRanker(double championOrdersPerUser, double candidateOrdersPerUser) {
        this(championOrdersPerUser, candidateOrdersPerUser, USERS_PER_BAKE);
    }

    SimulatedRanker(double championOrdersPerUser, double candidateOrdersPerUser, long usersPerBake) {
        this(true, championOrdersPerUser, candidateOrdersPerUser, usersPerBake);
    }

    private SimulatedRanker(boolean hasChampion, double championOrdersPerUser, double candidateOrdersPerUser,
            long usersPerBake) {
        this.hasChampion = hasChampion;
        this.championOrdersPerUser = championOrdersPerUser;
        this.candidateOrdersPerUser = candidateOrdersPerUser;
        this.usersPerBake = usersPerBake;
    }

    /** A ranker with no champion yet: everyone outside the canary gets the baseline (caller's) order. */
    public static SimulatedRanker withoutChampion(double baselineOrdersPerUser, double candidateOrdersPerUser) {
        return new SimulatedRanker(false, baselineOrdersPerUser, candidateOrdersPerUser, USERS_PER_BAKE);
    }

    @Override
    public void setCandidateTraffic(String candidateVersion, double percent) {
        this.percent = percent;
        trafficHistory.add(percent);
    }

    @Override
    public synchronized ArmSnapshot readArmMetrics() {
        candidateUsers += Math.round(usersPerBake * percent / 100);
        championUsers += Math.round(usersPerBake * (100 - percent) / 100);
        ArmMetrics others = arm(hasChampion ? "6" : null, championUsers, championOrdersPerUser);
        ArmMetrics candidate = arm("7", candidateUsers, candidateOrdersPerUser);
        return hasChampion ? new ArmSnapshot(others, candidate, null) : new ArmSnapshot(null, candidate, others);
    }

    private static ArmMetrics arm(String version, long users, double ordersPerUser) {
        // Poisson-like orders: variance about the mean.
        return new ArmMetrics(version, users * 3, users, users * 60, users * 6, users, Math.round(users * ordersPerUser),
                0, ordersPerUser, ordersPerUser, 0.1, 0.001, 8, 20);
    }

    @Override
    public void promoteToChampion(String modelName, String version) {
        promoted.add(version);
    }
}
