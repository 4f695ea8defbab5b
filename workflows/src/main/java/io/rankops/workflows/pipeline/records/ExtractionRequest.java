package io.rankops.workflows.pipeline.records;

import io.rankops.workflows.pipeline.DataWindow;
import java.util.List;

/**
 * Read the window's event partitions, validate them, split them by time and write a dataset.
 * The last {@code testDays} days are the test split, the {@code validationDays} before them
 * validation, the rest training.
 */
public record ExtractionRequest(String runId, DataWindow window, List<String> regions,
        int validationDays, int testDays) {
}
