package io.rankops.workflows.pipeline;

import io.rankops.workflows.pipeline.activities.RegistryActivities;
import io.rankops.workflows.pipeline.records.RegisteredVersion;
import io.rankops.workflows.pipeline.records.RegistrationRequest;
import io.rankops.workflows.pipeline.records.TrainingRunClosure;
import io.rankops.workflows.pipeline.records.VersionLifecycle;
import io.rankops.workflows.pipeline.records.VersionSettlement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The registry's activities in memory: what was registered, every settlement and run closure, in order. */
public class FakeRegistry implements RegistryActivities {

    public final AtomicInteger registrations = new AtomicInteger();
    public final List<VersionSettlement> settlements = new CopyOnWriteArrayList<>();
    public final List<TrainingRunClosure> closures = new CopyOnWriteArrayList<>();
    public volatile Map<String, Double> lastMetrics = Map.of();
    public volatile String lastOnnxSha256;
    public volatile RegisteredVersion champion;

    @Override
    public RegisteredVersion findChampion(String modelName) {
        return champion;
    }

    @Override
    public RegisteredVersion register(RegistrationRequest request) {
        registrations.incrementAndGet();
        lastMetrics = request.metrics();
        lastOnnxSha256 = request.onnxSha256();
        return new RegisteredVersion(request.modelName(), "1", null, request.onnxUri());
    }

    @Override
    public void settle(VersionSettlement settlement) {
        settlements.add(settlement);
    }

    @Override
    public void closeTrainingRun(TrainingRunClosure closure) {
        closures.add(closure);
    }

    /** The lifecycle stages the run's version went through, in order. */
    public List<VersionLifecycle> lifecycleOf(String runId) {
        return settlements.stream().filter(s -> s.runId().equals(runId)).map(VersionSettlement::lifecycle).toList();
    }

    public List<TrainingRunClosure.Status> closuresOf(String runId) {
        return closures.stream().filter(c -> c.runId().equals(runId)).map(TrainingRunClosure::status).toList();
    }
}
