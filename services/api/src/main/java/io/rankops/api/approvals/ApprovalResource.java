package io.rankops.api.approvals;

import io.rankops.api.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/approvals")
@Produces(MediaType.APPLICATION_JSON)
public class ApprovalResource {

    private final ApprovalService approvals;

    public ApprovalResource(ApprovalService approvals) {
        this.approvals = approvals;
    }

    @GET
    @RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMIN})
    public List<PendingApproval> pending() {
        return approvals.pending();
    }
}
