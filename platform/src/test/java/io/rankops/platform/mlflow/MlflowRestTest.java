package io.rankops.platform.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MlflowRestTest {

    @Test
    void aQuoteInAValueCannotEndTheLiteral() {
        assertEquals("name = 'o\\' or name = \\'x'", MlflowRest.nameEquals("o' or name = 'x"));
        assertEquals("tags.`rankops.run_id` = 'a\\\\b'", MlflowRest.tagEquals("rankops.run_id", "a\\b"));
        assertThrows(IllegalArgumentException.class, () -> MlflowRest.tagEquals("bad`key", "v"));
    }

    @Test
    void absentAndAlreadyExistsAreReadFromStatusOrCode() {
        assertTrue(MlflowRest.isAbsent(404, ""));
        assertTrue(MlflowRest.isAbsent(400, "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\"}"));
        assertFalse(MlflowRest.isAbsent(500, "{\"error_code\":\"INTERNAL_ERROR\"}"));
        assertTrue(MlflowRest.isAlreadyExists("{\"error_code\":\"RESOURCE_ALREADY_EXISTS\"}"));
        assertFalse(MlflowRest.isAlreadyExists(null));
    }
}
