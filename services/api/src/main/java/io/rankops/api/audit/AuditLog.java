package io.rankops.api.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** Writes and reads the append-only audit log; nothing here updates or deletes. */
@ApplicationScoped
public class AuditLog {

    /** Joins the caller's transaction, so an action and its audit entry commit together. */
    @Transactional
    public AuditEntry record(String actor, String action, String subject, String beforeJson, String afterJson) {
        AuditEntry entry = new AuditEntry();
        entry.actor = actor;
        entry.action = action;
        entry.subject = subject;
        entry.beforeState = beforeJson;
        entry.afterState = afterJson;
        entry.persistAndFlush();
        return entry;
    }

    public List<AuditEntry> forSubject(String subject) {
        return AuditEntry.list("subject = ?1 order by occurredAt, id", subject);
    }
}
