package io.rankops.api.runs;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The ledger's row for a pipeline run. Only {@link RunLedger} writes it: it opens the row, and moves
 * status, currentStep, outcome and reason with each step event under a row lock
 * ({@link RunProjection}); updates touch only changed columns.
 */
@Entity
@Table(name = "pipeline_run")
@DynamicUpdate
public class Run extends PanacheEntityBase {

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

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RunStatus status;

    @Column(name = "current_step")
    public String currentStep;

    public String outcome;

    public String reason;

    /** The sequence of the step event the row shows; a lower one never overwrites it. */
    @Column(name = "last_sequence", nullable = false)
    public int lastSequence;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", insertable = false)
    public OffsetDateTime updatedAt;

    public boolean isOpen() {
        return status.isOpen();
    }
}
