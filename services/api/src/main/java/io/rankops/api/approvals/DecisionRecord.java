package io.rankops.api.approvals;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A decision the API recorded for a run, confirmed (consumed) once by the workflow. */
@Entity
@Table(name = "approval_decision")
public class DecisionRecord extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "run_id", nullable = false, updatable = false)
    public String runId;

    @Column(nullable = false, updatable = false)
    public String approver;

    @Column(nullable = false, updatable = false)
    public boolean approved;

    @Column(updatable = false)
    public String comment;

    @Column(name = "recorded_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime recordedAt;

    @Column(name = "confirmed_at")
    public OffsetDateTime confirmedAt;
}
