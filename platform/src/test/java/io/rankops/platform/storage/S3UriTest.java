package io.rankops.platform.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class S3UriTest {

    @Test
    void aKeyKeepsItsSlashesAndPrintsBackAsWritten() {
        S3Uri uri = S3Uri.parse("s3://rankops/models/run-1/model.onnx");
        assertEquals("rankops", uri.bucket());
        assertEquals("models/run-1/model.onnx", uri.key());
        assertEquals("s3://rankops/models/run-1/model.onnx", uri.toString());
    }

    @Test
    void aPrefixResolvesItsObjects() {
        assertEquals(S3Uri.of("b", "datasets/ds-1/train.parquet"), S3Uri.parse("s3://b/datasets/ds-1/").resolve("train.parquet"));
        assertEquals(S3Uri.of("b", "datasets/ds-1/train.parquet"), S3Uri.parse("s3://b/datasets/ds-1").resolve("train.parquet"));
    }

    @Test
    void anythingElseIsRefusedNamingTheText() {
        for (String bad : new String[] {"http://rankops/x", "s3://rankops", "s3://rankops/", "s3:///key", "rankops/key",
                "s3://b/k?versionId=1", "", "s3://b/k#f"}) {
            assertTrue(S3Uri.tryParse(bad).isEmpty(), bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3Uri.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertTrue(S3Uri.tryParse(null).isEmpty());
    }
}
