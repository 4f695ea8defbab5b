package io.rankops.worker.registry;

import static io.rankops.platform.names.RegistryNames.CANDIDATE_ALIAS;
import static io.rankops.platform.names.RegistryNames.CHAMPION_ALIAS;
import static io.rankops.platform.names.RegistryNames.LIFECYCLE_REASON_TAG;
import static io.rankops.platform.names.RegistryNames.LIFECYCLE_TAG;
import static io.rankops.platform.names.RegistryNames.RUN_ID_TAG;

import com.fasterxml.jackson.databind.JsonNode;
import io.rankops.workflows.pipeline.records.VersionLifecycle;
import io.rankops.workflows.pipeline.records.VersionSettlement;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that moves serving aliases (docs/architecture.md, "Alias lifecycle"):
 * <ul>
 *   <li>{@link VersionLifecycle#IN_CANARY}: alias {@code candidate} → the version (its canary starts);</li>
 *   <li>{@link VersionLifecycle#CHAMPION}: alias {@code champion} → the version, {@code candidate}
 *       cleared if it was this version's, the previous champion tagged {@link VersionLifecycle#RETIRED};</li>
 *   <li>every withdrawn outcome (rolled back, aborted, rejected, expired, cancelled): neither alias
 *       left on the version.</li>
 * </ul>
 * Each step is idempotent, so a retried activity repeats it safely. Registration sets no alias.
 */
public class AliasLifecycle {

    private final MlflowRegistry registry;

    public AliasLifecycle(MlflowRegistry registry) {
        this.registry = registry;
    }

    public void settle(VersionSettlement settlement) {
        String model = settlement.modelName();
        String version = settlement.version();
        requireText(model, "modelName");
        requireText(version, "version");
        if (settlement.lifecycle() == null) {
            throw new IllegalArgumentException("settlement of " + model + " v" + version + " has no lifecycle stage");
        }
        JsonNode found = registry.version(model, version).orElseThrow(
                () -> new IllegalArgumentException("registered model " + model + " has no version " + version));
        // A deleted and recreated registered model reuses version numbers: never settle someone else's version.
        String producedBy = tagOf(found, RUN_ID_TAG);
        if (settlement.runId() != null && producedBy != null && !producedBy.equals(settlement.runId())) {
            throw new IllegalArgumentException("version " + version + " of " + model + " was registered by run "
                    + producedBy + ", not " + settlement.runId() + ": refusing to make it " + settlement.lifecycle());
        }
        // The version's own JSON lists the aliases it holds: no second read of the registered model.
        Set<String> held = new HashSet<>();
        found.path("aliases").forEach(alias -> held.add(alias.asText()));
        VersionLifecycle stage = settlement.lifecycle();
        boolean withdrawn = stage != VersionLifecycle.IN_CANARY && stage != VersionLifecycle.CHAMPION;
        if (withdrawn && held.contains(CHAMPION_ALIAS)) {
            // Checked before anything changes: a refused settlement leaves the registry as it was.
            throw new IllegalArgumentException("version " + version + " of " + model + " is champion and cannot become "
                    + stage);
        }
        if (stage == VersionLifecycle.IN_CANARY) {
            registry.setAlias(model, CANDIDATE_ALIAS, version);
        } else if (stage == VersionLifecycle.CHAMPION) {
            Optional<String> previous = aliasVersion(model, CHAMPION_ALIAS).filter(v -> !v.equals(version));
            registry.setAlias(model, CHAMPION_ALIAS, version);
            previous.ifPresent(v -> tag(model, v, VersionLifecycle.RETIRED, "replaced by version " + version));
        }
        if (stage != VersionLifecycle.IN_CANARY && held.contains(CANDIDATE_ALIAS)) {
            registry.deleteAlias(model, CANDIDATE_ALIAS);
        }
        tag(model, version, stage, reasonOf(settlement));
    }

    /** The version an alias points at, if any. */
    public Optional<String> aliasVersion(String model, String alias) {
        return registry.aliasVersion(model, alias);
    }

    private void tag(String model, String version, VersionLifecycle lifecycle, String reason) {
        registry.setVersionTag(model, version, LIFECYCLE_TAG, lifecycle.name());
        if (reason != null && !reason.isBlank()) {
            // MLflow caps tag values at 5000 characters.
            registry.setVersionTag(model, version, LIFECYCLE_REASON_TAG, reason.length() > 4000 ? reason.substring(0, 4000) : reason);
        }
    }

    private static String reasonOf(VersionSettlement settlement) {
        String reason = settlement.reason() == null ? "" : settlement.reason();
        return settlement.runId() == null ? reason : reason + " (run " + settlement.runId() + ")";
    }

    private static String tagOf(JsonNode version, String key) {
        for (JsonNode tag : version.path("tags")) {
            if (key.equals(tag.path("key").asText())) {
                return tag.path("value").asText();
            }
        }
        return null;
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("settlement has no " + field);
        }
    }
}
