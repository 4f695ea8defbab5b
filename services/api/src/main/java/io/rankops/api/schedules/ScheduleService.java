package io.rankops.api.schedules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rankops.api.audit.AuditLog;
import io.rankops.api.errors.ApiError;
import io.rankops.api.errors.ApiException;
import io.rankops.api.policy.PlatformPolicy;
import io.rankops.api.runs.EventWindow;
import io.rankops.api.runs.RunRequest;
import io.rankops.api.schedules.ScheduleViews.CommandAccepted;
import io.rankops.api.schedules.ScheduleViews.RecentAction;
import io.rankops.api.schedules.ScheduleViews.RunParameters;
import io.rankops.api.schedules.ScheduleViews.ScheduleView;
import io.rankops.workflows.schedule.ScheduledRunRequest;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleDescription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Retraining schedules: Temporal keeps them (nothing here is stored in PostgreSQL), every change
 * writes its audit entry in the transaction around the Temporal call, so a refused call leaves
 * no entry behind.
 */
@ApplicationScoped
public class ScheduleService {

    private static final Logger LOG = Logger.getLogger(ScheduleService.class);
    private static final LocalDate SAMPLE_WINDOW_START = LocalDate.of(2000, 1, 1);

    /** The run part of a schedule request, checked as the run request it becomes (field "run"). */
    record TemplateCheck(@Valid RunRequest run) {
    }

    private final RetrainingSchedules schedules;
    private final Duration minInterval;
    private final int maxBackfillRuns;
    private final PlatformPolicy policy;
    private final EventWindow events;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Validator validator;
    private final TransactionSynchronizationRegistry transactions;

    public ScheduleService(RetrainingSchedules schedules, AuditLog audit, ObjectMapper json, Validator validator,
            TransactionSynchronizationRegistry transactions,
            @ConfigProperty(name = "rankops.schedules.min-interval", defaultValue = "PT6H") Duration minInterval,
            @ConfigProperty(name = "rankops.schedules.max-backfill-runs", defaultValue = "31") int maxBackfillRuns,
            PlatformPolicy policy, EventWindow events) {
        this.policy = policy;
        this.events = events;
        this.minInterval = minInterval;
        this.maxBackfillRuns = maxBackfillRuns;
        this.schedules = schedules;
        this.audit = audit;
        this.json = json;
        this.validator = validator;
        this.transactions = transactions;
    }

    /**
     * Should the commit fail after Temporal created the schedule, the schedule is deleted again,
     * so none exists without its audit entry.
     */
    @Transactional
    public ScheduleView create(ScheduleRequest body, String user) {
        RunRequest asRun = validate(body);
        ZoneId zone = ZoneId.of(body.timezoneOrDefault());
        CronCadence.of(body.cron(), zone).gapShorterThan(minInterval, ZonedDateTime.now(zone)).ifPresent(gap -> {
            throw new ApiException(400, "invalid request", "the schedule would start runs too often",
                    List.of(new ApiError.Violation("cron", "starts runs " + gap.toMinutes() + " min apart; at least "
                            + minInterval.toMinutes() + " min between runs are required")));
        });
        ScheduledRunRequest request = new ScheduledRunRequest(body.id(), body.timezoneOrDefault(), body.windowDays(),
                RunTemplates.complete(asRun));
        List<ApiError.Violation> undeclared = underRun(events.undeclaredRegions(asRun));
        if (!undeclared.isEmpty()) {
            throw new ApiException(400, "invalid request", "the schedule's runs name regions the events do not have ("
                    + events.describeSpec() + ")", undeclared);
        }
        List<ApiError.Violation> belowFloor = underRun(policy.violations(request.template()));
        if (!belowFloor.isEmpty()) {
            throw new ApiException(400, "invalid request", "the schedule's runs would ask for a looser gate or canary "
                    + "than the platform allows (GET /api/policy)", belowFloor);
        }
        boolean paused = Boolean.TRUE.equals(body.paused());
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("cron", body.cron());
        after.put("timezone", request.timeZone());
        after.put("windowDays", request.windowDays());
        after.put("paused", paused);
        after.put("description", body.description());
        after.put("run", RunParameters.of(request.template()));
        audit.record(user, "schedule.create", subject(body.id()), null, toJson(after));
        try {
            schedules.create(request, body.cron(), paused, paused ? "created paused by " + user : null,
                    new RetrainingSchedules.Memo(body.description(), body.cron(), user));
        } catch (ScheduleAlreadyRunningException e) {
            throw ApiException.conflict("schedule '" + body.id() + "' already exists");
        } catch (RuntimeException e) {
            throw refused(e, body.id());
        }
        transactions.registerInterposedSynchronization(new DeleteUnlessCommitted(body.id()));
        return get(body.id());
    }

    public List<ScheduleView> list() {
        List<ScheduleView> views = new ArrayList<>();
        List<String> ids;
        try {
            ids = schedules.ids();
        } catch (RuntimeException e) {
            throw refused(e, "*");
        }
        for (String id : ids) {
            try {
                views.add(view(schedules.describe(id)));
            } catch (RuntimeException e) {
                if (statusOf(e).map(s -> s.getCode() != Status.Code.NOT_FOUND).orElse(true)) {
                    throw refused(e, id);
                } // deleted since the listing: leave it out
            }
        }
        return views;
    }

    public ScheduleView get(String id) {
        try {
            return view(schedules.describe(id));
        } catch (RuntimeException e) {
            throw refused(e, id);
        }
    }

    @Transactional
    public ScheduleView pause(String id, String note, String user, boolean admin) {
        ScheduleView before = get(id);
        mayCommand(before, user, admin, "pause or resume");
        if (before.paused()) {
            throw ApiException.conflict("schedule '" + id + "' is already paused");
        }
        String reason = note == null || note.isBlank() ? "paused by " + user : note;
        audit.record(user, "schedule.pause", subject(id), toJson(Map.of("paused", false)),
                toJson(Map.of("paused", true, "note", reason)));
        call(id, () -> schedules.pause(id, reason));
        return get(id);
    }

    @Transactional
    public ScheduleView unpause(String id, String note, String user, boolean admin) {
        ScheduleView before = get(id);
        mayCommand(before, user, admin, "pause or resume");
        if (!before.paused()) {
            throw ApiException.conflict("schedule '" + id + "' is not paused");
        }
        String reason = note == null || note.isBlank() ? "resumed by " + user : note;
        audit.record(user, "schedule.unpause", subject(id), toJson(Map.of("paused", true)),
                toJson(Map.of("paused", false, "note", reason)));
        call(id, () -> schedules.unpause(id, reason));
        return get(id);
    }

    /** Runs the action now, paused or not; it trains on the window that ends yesterday. */
    @Transactional
    public CommandAccepted trigger(String id, String user, boolean admin) {
        mayCommand(get(id), user, admin, "trigger");
        audit.record(user, "schedule.trigger", subject(id), null, toJson(Map.of("triggered", true)));
        call(id, () -> schedules.trigger(id));
        return new CommandAccepted(id, "trigger", null, null);
    }

    /** Every action the cron has on the given days (in the schedule's zone) runs now, oldest first. */
    @Transactional
    public CommandAccepted backfill(String id, CommandRequests.Backfill range, String user, boolean admin) {
        ScheduleView schedule = get(id);
        mayCommand(schedule, user, admin, "backfill");
        ZoneId zone = ZoneId.of(schedule.timezone());
        Instant from = range.start().atStartOfDay(zone).toInstant();
        Instant to = range.end().plusDays(1).atStartOfDay(zone).toInstant();
        int runs = CronCadence.of(schedule.cron(), zone).runsBetween(from.atZone(zone), to.atZone(zone),
                maxBackfillRuns + 1);
        if (runs > maxBackfillRuns) {
            throw new ApiException(400, "invalid request", "the backfill would start too many runs",
                    List.of(new ApiError.Violation("end", "the range holds more than " + maxBackfillRuns
                            + " runs of this schedule (" + schedule.cron() + "); backfill at most " + maxBackfillRuns
                            + " at a time")));
        }
        audit.record(user, "schedule.backfill", subject(id), null,
                toJson(Map.of("start", range.start().toString(), "end", range.end().toString())));
        call(id, () -> schedules.backfill(id, from, to));
        return new CommandAccepted(id, "backfill", range.start(), range.end());
    }

    /** Runs already started keep running; only future actions go. */
    @Transactional
    public void delete(String id, String user, boolean admin) {
        ScheduleView before = get(id);
        mayCommand(before, user, admin, "delete");
        audit.record(user, "schedule.delete", subject(id), toJson(before), null);
        call(id, () -> schedules.delete(id));
    }

    /** Only who made a schedule, or an admin, may command it: another engineer's runs are theirs to start. */
    private static void mayCommand(ScheduleView schedule, String user, boolean admin, String what) {
        if (!admin && !user.equals(schedule.createdBy())) {
            throw ApiException.forbidden("only " + schedule.createdBy() + " (who created schedule '" + schedule.id()
                    + "') or an admin may " + what + " it");
        }
    }

    /** The audit log's subject for a schedule; "schedule:" keeps it apart from run ids. */
    public static String subject(String id) {
        return "schedule:" + id;
    }

    /**
     * One answer with every bad field: the schedule's own fields and the run template, checked
     * as the run request it becomes.
     */
    private RunRequest validate(ScheduleRequest body) {
        Set<ConstraintViolation<?>> violations = new HashSet<>(validator.validate(body));
        RunRequest asRun = null;
        if (body.run() != null) {
            // Any in-bounds window does: its length is windowDays' to check, the dates are each run's.
            asRun = body.run().asRunRequest(SAMPLE_WINDOW_START, SAMPLE_WINDOW_START.plusDays(6));
            violations.addAll(validator.validate(new TemplateCheck(asRun)));
        }
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return asRun;
    }

    private ScheduleView view(ScheduleDescription description) {
        RetrainingSchedules.Memo memo = (RetrainingSchedules.Memo) description.getMemo(RetrainingSchedules.MEMO_KEY,
                RetrainingSchedules.Memo.class);
        ScheduledRunRequest request = ((ScheduleActionStartWorkflow) description.getSchedule().getAction())
                .getArguments().get(0, ScheduledRunRequest.class);
        ZoneId zone = ZoneId.of(request.timeZone());
        List<RecentAction> recent = new ArrayList<>();
        for (ScheduleActionResult action : description.getInfo().getRecentActions()) {
            String workflowId = action.getAction() instanceof ScheduleActionExecutionStartWorkflow started
                    ? started.getWorkflowId() : null;
            recent.add(new RecentAction(action.getScheduledAt(), action.getStartedAt(), workflowId,
                    request.runIdOn(action.getScheduledAt().atZone(zone).toLocalDate())));
        }
        var state = description.getSchedule().getState();
        return new ScheduleView(description.getId(), memo == null ? null : memo.description(),
                memo == null ? null : memo.cron(), request.timeZone(), request.windowDays(), state.isPaused(),
                state.getNote() == null || state.getNote().isEmpty() ? null : state.getNote(),
                description.getInfo().getNextActionTimes(), recent, description.getInfo().getNumActions(),
                description.getInfo().getCreatedAt(), memo == null ? null : memo.createdBy(),
                RunParameters.of(request.template()));
    }

    private void call(String id, Runnable command) {
        try {
            command.run();
        } catch (RuntimeException e) {
            throw refused(e, id);
        }
    }

    /** Temporal's refusal as the API's: unknown id 404, a spec Temporal rejects 400, anything else 503. */
    private static ApiException refused(RuntimeException e, String id) {
        if (e instanceof ApiException api) {
            return api;
        }
        Optional<Status> status = statusOf(e);
        if (status.map(s -> s.getCode() == Status.Code.NOT_FOUND).orElse(false)) {
            return ApiException.notFound("schedule", id);
        }
        if (status.map(s -> s.getCode() == Status.Code.INVALID_ARGUMENT).orElse(false)) {
            return new ApiException(400, "invalid request", "Temporal refused the schedule: "
                    + status.get().getDescription());
        }
        LOG.warnf(e, "Temporal refused a call for schedule %s", id);
        return ApiException.unavailable("Temporal could not be asked about schedule '" + id + "': " + rootMessage(e));
    }

    private static Optional<Status> statusOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StatusRuntimeException grpc) {
                return Optional.of(grpc.getStatus());
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** The schedule exists but its audit entry did not commit: delete it so no change goes unrecorded. */
    private final class DeleteUnlessCommitted implements Synchronization {
        private final String id;

        DeleteUnlessCommitted(String id) {
            this.id = id;
        }

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status != jakarta.transaction.Status.STATUS_COMMITTED) {
                try {
                    schedules.delete(id);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "schedule %s: created but its audit entry did not commit, and deleting it failed", id);
                }
            }
        }
    }

    /** A run's violations as the schedule's: its fields sit under {@code run}. */
    private static List<ApiError.Violation> underRun(List<ApiError.Violation> violations) {
        return violations.stream().map(v -> new ApiError.Violation("run." + v.field(), v.message())).toList();
    }
}
