package io.rankops.workflows.pipeline.records;

import java.util.List;
import java.util.Map;

/**
 * A dataset written by extraction: Parquet splits plus this manifest, all under {@code uri}.
 * The id derives from the content hash, so the same data always gets the same id.
 *
 * @param uri        s3://bucket/datasets/{datasetId}/ holding train.parquet, validation.parquet, test.parquet
 * @param rowCounts  rows per split ("train", "validation", "test")
 * @param labelRates region -> label column -> positive rate, over all splits
 * @param sourceFiles the event partition objects that were read
 */
public record DatasetManifest(String datasetId, String uri, String contentHash, String schemaHash,
        Map<String, Long> rowCounts, Map<String, Map<String, Double>> labelRates, List<String> sourceFiles) {
}
