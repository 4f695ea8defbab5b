package io.rankops.ranker.api;

public record ErrorResponse(int status, String error) {
}
