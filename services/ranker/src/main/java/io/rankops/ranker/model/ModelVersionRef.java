package io.rankops.ranker.model;

/** A registered model version as MLflow describes it: its number and its artifact URI. */
public record ModelVersionRef(String version, String source) {
}
