package io.rankops.ranker.api;

/** 202 body: whom the event was attributed to; {@code counted} is false for a repeated report. */
public record FeedbackReceipt(String requestId, long itemId, String event, String arm, String modelVersion, boolean counted) {
}
