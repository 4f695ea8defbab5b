package io.rankops.ranker.api;

/** 202 body: the event counted, and for whom (the arm and model version that ranked the list). */
public record FeedbackReceipt(String requestId, long itemId, String event, String arm, String modelVersion) {
}
