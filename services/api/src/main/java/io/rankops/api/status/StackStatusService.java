package io.rankops.api.status;

import io.agroal.api.AgroalDataSource;
import io.rankops.api.registry.ModelRegistry;
import io.rankops.platform.storage.ObjectStore;
import io.rankops.platform.storage.ObjectStoreSettings;
import io.rankops.api.temporal.TemporalSettings;
import io.rankops.workflows.TaskQueues;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Asks every part of the platform whether it works, in parallel, each with its own deadline. */
@ApplicationScoped
public class StackStatusService {

    /** A worker long-polls for up to a minute, so a live poller was seen within this window. */
    static final Duration POLLER_FRESHNESS = Duration.ofSeconds(90);
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    private final AgroalDataSource dataSource;
    private final WorkflowServiceStubs temporal;
    private final TemporalSettings temporalSettings;
    private final ObjectStore objectStore;
    private final ObjectStoreSettings objectStoreSettings;
    private final ModelRegistry modelRegistry;
    private final String rankerUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CHECK_TIMEOUT).build();
    private final ExecutorService checks = Executors.newFixedThreadPool(4);

    public StackStatusService(AgroalDataSource dataSource, WorkflowServiceStubs temporal,
            TemporalSettings temporalSettings, ObjectStore objectStore, ObjectStoreSettings objectStoreSettings,
            ModelRegistry modelRegistry, @ConfigProperty(name = "rankops.ranker.url") String rankerUrl) {
        this.dataSource = dataSource;
        this.temporal = temporal;
        this.temporalSettings = temporalSettings;
        this.objectStore = objectStore;
        this.objectStoreSettings = objectStoreSettings;
        this.modelRegistry = modelRegistry;
        this.rankerUrl = rankerUrl;
    }

    @PreDestroy
    void shutdown() {
        checks.shutdownNow();
    }

    public StackStatus check() {
        List<CompletableFuture<ComponentStatus>> pending = List.of(
                run("postgresql", "infrastructure", null, this::postgres),
                run("temporal", "infrastructure", temporalSettings.uiUrl(), this::temporalServer),
                run("minio", "infrastructure", objectStoreSettings.consoleUrl().orElse(null), this::minio),
                run("mlflow", "infrastructure", modelRegistry.trackingUri(), this::mlflow),
                run("worker", "service", null, () -> pollers(TaskQueues.PIPELINE)),
                run("trainer", "service", null, () -> pollers(TaskQueues.TRAINING)),
                run("ranker", "service", rankerUrl, this::ranker));
        List<ComponentStatus> components = pending.stream().map(CompletableFuture::join).toList();
        return new StackStatus(Instant.now(), components.stream().allMatch(ComponentStatus::up), components);
    }

    private CompletableFuture<ComponentStatus> run(String name, String kind, String url, Supplier<String> probe) {
        return CompletableFuture.supplyAsync(() -> new ComponentStatus(name, kind, true, probe.get(), url), checks)
                .completeOnTimeout(new ComponentStatus(name, kind, false, "no answer within " + CHECK_TIMEOUT, url),
                        CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(failure -> new ComponentStatus(name, kind, false, rootMessage(failure), url));
    }

    private String postgres() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('server_version')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private String temporalServer() {
        temporal.healthCheck();
        return "frontend " + temporalSettings.target() + ", namespace " + temporalSettings.namespace();
    }

    private String minio() {
        if (!objectStore.bucketExists()) {
            throw new IllegalStateException("bucket '" + objectStore.bucket() + "' is missing");
        }
        return "bucket '" + objectStore.bucket() + "' ready";
    }

    private String mlflow() {
        return "tracking server: " + get(modelRegistry.trackingUri() + "/health");
    }

    private String ranker() {
        get(rankerUrl + "/q/health/ready");
        return "ready";
    }

    /** Up when some worker polled the queue recently: Temporal itself knows who is listening. */
    private String pollers(String taskQueue) {
        List<PollerInfo> pollers = temporal.blockingStub()
                .withDeadlineAfter(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
                        .setNamespace(temporalSettings.namespace())
                        .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue).build())
                        .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                        .build())
                .getPollersList();
        Instant freshSince = Instant.now().minus(POLLER_FRESHNESS);
        List<String> live = pollers.stream()
                .filter(p -> Instant.ofEpochSecond(p.getLastAccessTime().getSeconds()).isAfter(freshSince))
                .map(PollerInfo::getIdentity)
                .toList();
        if (live.isEmpty()) {
            throw new IllegalStateException("no worker polls task queue '" + taskQueue + "'");
        }
        return "task queue '" + taskQueue + "' polled by " + String.join(", ", live);
    }

    private String get(String url) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(CHECK_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode());
            }
            return response.body().strip();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(url + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
