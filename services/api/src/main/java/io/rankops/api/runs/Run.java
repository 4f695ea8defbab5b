package io.rankops.api.runs;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Set;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The API's row for a pipeline run. status, currentStep, outcome and reason follow the worker's
 * run_step_event rows through a database trigger (V4__pipeline_run.sql), so Java never rewrites them
 * from a stale copy: updates touch only changed columns.
 */
@Entity
@Table(name = "pipeline_run")
@DynamicUpdate
public class Run extends PanacheEntityBase {

    public static final String RUNNING = "RUNNING";
    public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
    public static final String FAILED = "FAILED";
    /** Statuses of a run whose workflow still executes. */
    public static final Set<String> OPEN = Set.of(RUNNING, AWAITING_APPROVAL);

    @Id
    public String id;

    @Column(name = "model_name", nullable = false, updatable = false)
    public String modelName;

    @Column(name = "model_family", nullable = false, updatable = false)
    public String modelFamily;

    @Column(name = "window_start", nullable = false, updatable = false)
    public LocalDate windowStart;

    @Column(name = "window_end", nullable = false, updatable = false)
    public LocalDate windowEnd;

    /** The workflow's full input (PipelineRequest) as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    public String parameters;

    @Column(name = "triggered_by", nullable = false, updatable = false)
    public String triggeredBy;

    @Column(nullable = false, updatable = false)
    public String trigger;

    @Column(nullable = false)
    public String status;

    @Column(name = "current_step")
    public String currentStep;

    public String outcome;

    public String reason;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", insertable = false)
    public OffsetDateTime updatedAt;

    public boolean isOpen() {
        return OPEN.contains(status);
    }
}
