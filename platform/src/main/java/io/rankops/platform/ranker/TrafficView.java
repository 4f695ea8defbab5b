package io.rankops.platform.ranker;

/** GET and PUT /admin/traffic: published by the ranker, read by the worker's declared client. */
public record TrafficView(String candidateVersion, Double candidatePercent) {
}
