package io.rankops.ranker.api;

/**
 * POST /v1/feedback: {@code event} is click, add_to_cart or purchase; {@code feedbackToken} is the
 * one POST /v1/rank returned with {@code requestId}'s list.
 */
public record FeedbackRequest(String requestId, String feedbackToken, Long itemId, String event) {
}
