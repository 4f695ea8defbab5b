package io.rankops.worker.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankops.platform.storage.ObjectStore;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.Header;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactActivityFailuresTest {

    private static ObjectStore.ObjectStoreException minioDown() {
        ConnectException refused = new ConnectException("Connection refused");
        IOException connect = new IOException("Failed to connect to /127.0.0.1:9000", refused);
        connect.addSuppressed(new IOException("unexpected end of stream on http://127.0.0.1:9000/..."));
        return new ObjectStore.ObjectStoreException("list events/dt=2026-11-01/", connect);
    }

    private static ActivityInboundCallsInterceptor throwing(RuntimeException e) {
        ActivityInboundCallsInterceptor failing = new ActivityInboundCallsInterceptor() {
            @Override
            public void init(ActivityExecutionContext context) {
            }

            @Override
            public ActivityOutput execute(ActivityInput input) {
                throw e;
            }
        };
        return new CompactActivityFailures().interceptActivity(failing);
    }

    private static ActivityInboundCallsInterceptor.ActivityInput input() {
        return new ActivityInboundCallsInterceptor.ActivityInput(new Header(Map.of()), new Object[0]);
    }

    @Test
    void anUnexpectedExceptionBecomesOneRetryableFailureNamingEveryCause() {
        ObjectStore.ObjectStoreException down = minioDown();

        ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> throwing(down).execute(input()));

        assertFalse(failure.isNonRetryable());
        assertEquals(ObjectStore.ObjectStoreException.class.getName(), failure.getType(), "the type Temporal would have used");
        assertEquals("ObjectStoreException: list events/dt=2026-11-01/: Failed to connect to /127.0.0.1:9000"
                + " <- IOException: Failed to connect to /127.0.0.1:9000 <- ConnectException: Connection refused",
                failure.getOriginalMessage());
        assertNull(failure.getCause(), "no chain of stack traces to outgrow Temporal's limit");
        assertTrue(failure.getStackTrace().length <= CompactActivityFailures.MAX_FRAMES);
        assertEquals(down.getStackTrace()[0], failure.getStackTrace()[0]);
    }

    @Test
    void failuresRaisedOnPurposePassThroughUnchanged() {
        ApplicationFailure bad = ApplicationFailure.newNonRetryableFailure("ONNX artifact s3://x is empty", "BadModelArtifact");

        assertSame(bad, assertThrows(ApplicationFailure.class, () -> throwing(bad).execute(input())));
    }

    @Test
    void aLongChainIsCapped() {
        RuntimeException e = new IllegalStateException("x".repeat(5000));
        assertEquals(CompactActivityFailures.MAX_MESSAGE_CHARS, CompactActivityFailures.summary(e).length());
    }
}
