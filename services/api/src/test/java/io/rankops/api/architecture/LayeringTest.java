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
}
