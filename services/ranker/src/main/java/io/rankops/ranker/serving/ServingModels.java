package io.rankops.ranker.serving;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rankops.ranker.RankerSettings;
import io.rankops.ranker.model.ArtifactStore;
import io.rankops.ranker.model.BadModelException;
import io.rankops.ranker.model.MlflowAliases;
import io.rankops.ranker.model.ModelLoader;
import io.rankops.ranker.model.ModelVersionRef;
import io.rankops.ranker.model.RankingModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The champion and candidate models, kept in step with their MLflow aliases. A refresh (at
 * startup, every {@code rankops.ranker.refresh-interval}, or on POST /admin/models/reload) builds
 * a changed arm's new session completely, then swaps it in; the old session closes when its last
 * in-flight request releases it. A version whose artifact is refused is remembered and not
 * retried until its alias moves or a reload forces it; the arm keeps serving its previous model.
 */
@ApplicationScoped
public class ServingModels {

    private static final Logger LOG = Logger.getLogger(ServingModels.class);

    private final MlflowAliases aliases;
    private final ArtifactStore artifacts;
    private final ModelLoader loader;
    private final ArmMetrics metrics;
    private final String modelName;
    private final Map<Arm, Slot> slots = new EnumMap<>(Arm.class);
    private final ReentrantLock refreshing = new ReentrantLock();

    public ServingModels(MlflowAliases aliases, ArtifactStore artifacts, ModelLoader loader, ArmMetrics metrics,
            RankerSettings settings) {
        this.aliases = aliases;
        this.artifacts = artifacts;
        this.loader = loader;
        this.metrics = metrics;
        this.modelName = settings.modelName();
        for (Arm arm : Arm.MODEL_ARMS) {
            slots.put(arm, new Slot());
        }
    }

    void onStart(@Observes StartupEvent start) {
        refresh(false);
    }

    void onStop(@Observes ShutdownEvent stop) {
        slots.values().forEach(slot -> Optional.ofNullable(slot.model.getAndSet(null)).ifPresent(RankingModel::release));
    }

    @Scheduled(every = "${rankops.ranker.refresh-interval}", delayed = "${rankops.ranker.refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        refresh(false);
    }

    /** Brings both arms in line with their aliases; {@code force} retries versions refused before. */
    public void refresh(boolean force) {
        refreshing.lock();
        try {
            for (Arm arm : Arm.MODEL_ARMS) {
                refreshArm(arm, force);
            }
        } finally {
            refreshing.unlock();
        }
    }

    /** Re-reads one arm's alias (used when the traffic split names a version not loaded yet). */
    public void refresh(Arm arm) {
        refreshing.lock();
        try {
            refreshArm(arm, false);
        } finally {
            refreshing.unlock();
        }
    }

    /**
     * A reference to the arm's model for one request, or null when the arm has none. The caller
     * must {@link RankingModel#release()} it.
     */
    public RankingModel acquire(Arm arm) {
        AtomicReference<RankingModel> current = slots.get(arm).model;
        while (true) {
            RankingModel model = current.get();
            if (model == null || model.tryAcquire()) {
                return model;
            }
            // retired between the read and the acquire: the slot already holds its successor
        }
    }

    public Optional<RankingModel> peek(Arm arm) {
        return Optional.ofNullable(slots.get(arm).model.get());
    }

    /** The loaded version of the arm, if any. */
    public Optional<String> version(Arm arm) {
        return peek(arm).map(RankingModel::version);
    }

    /** The most recent load failure of an arm that has not loaded successfully since. */
    public Optional<ModelLoadError> lastError() {
        return slots.values().stream().map(slot -> slot.error).filter(Objects::nonNull)
                .max(Comparator.comparing(ModelLoadError::at));
    }

    public String modelName() {
        return modelName;
    }

    private void refreshArm(Arm arm, boolean force) {
        Slot slot = slots.get(arm);
        Optional<ModelVersionRef> target;
        try {
            target = aliases.resolve(modelName, arm.alias());
        } catch (MlflowAliases.RegistryUnavailableException e) {
            LOG.warnf("cannot refresh %s of %s: %s", arm.alias(), modelName, e.getMessage());
            slot.error = new ModelLoadError(arm.alias(), null, null, e.getMessage(), Instant.now());
            return;
        }
        RankingModel current = slot.model.get();
        if (target.isEmpty()) {
            slot.error = null;
            slot.refused = null;
            if (current != null) {
                LOG.infof("alias %s of %s is gone: unloading version %s", arm.alias(), modelName, current.version());
                swap(slot, null);
                // No version serves the arm now, so its metrics must not claim one (the canary reads them).
                metrics.onModelUnloaded(arm);
            }
            return;
        }
        ModelVersionRef ref = target.get();
        if (current != null && current.version().equals(ref.version()) && current.source().equals(ref.source())
                && Objects.equals(snapshotUri(current), ref.itemSnapshotUri())) {
            slot.refused = null;
            slot.error = null;
            return;
        }
        if (!force && ref.equals(slot.refused)) {
            return;
        }
        RankingModel loaded;
        try {
            // The snapshot is read before anything is swapped: model and items go in together or not at all.
            byte[] items = ref.itemSnapshotUri() == null ? null : artifacts.fetch(ref.itemSnapshotUri());
            loaded = loader.load(artifacts.fetch(ref.source()), items, ref);
        } catch (BadModelException e) {
            slot.refused = ref;
            slot.error = new ModelLoadError(arm.alias(), ref.version(), ref.source(), e.getMessage(), Instant.now());
            LOG.errorf("refused %s version %s (%s): %s; still serving %s", arm.alias(), ref.version(), ref.source(),
                    e.getMessage(), current == null ? "nothing" : "version " + current.version());
            return;
        } catch (RuntimeException e) {
            slot.error = new ModelLoadError(arm.alias(), ref.version(), ref.source(), e.getMessage(), Instant.now());
            LOG.warnf("could not load %s version %s, will retry: %s", arm.alias(), ref.version(), e.getMessage());
            return;
        }
        // the arm's counters restart with the new version before any request can reach it
        metrics.onModelLoaded(arm, loaded.version());
        swap(slot, loaded);
        slot.refused = null;
        slot.error = null;
        LOG.infof("serving %s version %s (%s, %s, %s)", arm.alias(), loaded.version(), loaded.family(), loaded.source(),
                loaded.itemSnapshot() == null ? "features per candidate"
                        : loaded.itemSnapshot().items() + " items from " + loaded.itemSnapshot().uri());
    }

    private static String snapshotUri(RankingModel model) {
        return model.itemSnapshot() == null ? null : model.itemSnapshot().uri();
    }

    private static void swap(Slot slot, RankingModel next) {
        RankingModel previous = slot.model.getAndSet(next);
        if (previous != null) {
            previous.release();
        }
    }

    private static final class Slot {
        final AtomicReference<RankingModel> model = new AtomicReference<>();
        volatile ModelLoadError error;
        volatile ModelVersionRef refused;
    }
}
