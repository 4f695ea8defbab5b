package io.rankops.ranker.api;

/** GET and PUT /admin/traffic. */
public record TrafficView(String candidateVersion, Double candidatePercent) {
}
