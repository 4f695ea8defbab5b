package io.rankops.platform.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MlflowCredentialsTest {

    @Test
    void theHeaderIsHttpBasicOfTheAccount() {
        MlflowCredentials credentials = new MlflowCredentials("http://mlflow:5000/", "rankops-ranker", "pä:ss");
        String encoded = credentials.authorization().substring("Basic ".length());
        assertEquals("rankops-ranker:pä:ss", new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
        assertEquals("http://mlflow:5000", credentials.trackingUri());
    }

    @Test
    void aMissingValueFailsNamingItsProperty() {
        IllegalStateException user = assertThrows(IllegalStateException.class,
                () -> new MlflowCredentials("http://mlflow:5000", " ", "secret"));
        assertTrue(user.getMessage().contains("rankops.mlflow.username"), user.getMessage());
        IllegalStateException password = assertThrows(IllegalStateException.class,
                () -> new MlflowCredentials("http://mlflow:5000", "rankops-api", null));
        assertTrue(password.getMessage().contains("rankops.mlflow.password"), password.getMessage());
    }

    @Test
    void thePasswordStaysOutOfToString() {
        assertFalse(new MlflowCredentials("http://mlflow:5000", "rankops-api", "hunter2-long-enough").toString()
                .contains("hunter2"));
    }
}
