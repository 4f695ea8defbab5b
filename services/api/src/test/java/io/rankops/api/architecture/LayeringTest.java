package io.rankops.api.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The API starts and queries workflows through their interfaces and records, never their code. */
class LayeringTest {

    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rankops.api");

    @Test
    void theApiNeverDependsOnAWorkflowImplementation() {
        noClasses().that().resideInAPackage("io.rankops.api..")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("WorkflowImpl")
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("ActivitiesImpl")
                .because("workflow code runs in the workers; the API knows only the contract")
                .check(API);
    }

    @Test
    void approvalsReadRunsAndRunsNeverReachForApprovals() {
        noClasses().that().resideInAPackage("io.rankops.api.runs..")
                .should().dependOnClassesThat().resideInAPackage("io.rankops.api.approvals..")
                .because("a decision is about a run; the run ledger does not know who decides")
                .check(API);
    }

    @Test
    void onlyTheRunsPackageWritesTheRunLedger() {
        noClasses().that().resideOutsideOfPackage("io.rankops.api.runs..")
                .should().callMethod(io.rankops.api.runs.RunLedger.class, "record",
                        io.rankops.workflows.pipeline.records.StepEvent.class, com.fasterxml.jackson.databind.JsonNode.class)
                .orShould().callMethod(io.rankops.api.runs.RunLedger.class, "open",
                        io.rankops.workflows.pipeline.PipelineRequest.class)
                .because("one writer per table: pipeline_run and run_step_event change only through RunLedger")
                .check(API);
    }
}
