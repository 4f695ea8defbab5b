package io.rankops.worker.extraction;

import java.nio.file.Path;
import java.time.LocalDate;

/** One event partition file: its object key, the day its partition names, and the local copy DuckDB reads. */
record SourceFile(String key, LocalDate day, Path localFile) {
}
