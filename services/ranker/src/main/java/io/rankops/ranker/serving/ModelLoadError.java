package io.rankops.ranker.serving;

import java.time.Instant;

/** Why the last attempt to load an arm's model failed; the arm keeps serving what it had. */
public record ModelLoadError(String arm, String version, String source, String message, Instant at) {
}
