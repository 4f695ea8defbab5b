package io.rankops.ranker.api;

/** POST /v1/feedback: {@code event} is click, add_to_cart or purchase. */
public record FeedbackRequest(String requestId, Long itemId, String event) {
}
