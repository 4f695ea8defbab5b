package io.rankops.ranker.serving;

/** The two models served side by side; each is the MLflow alias of the same name. */
public enum Arm {
    CHAMPION("champion"),
    CANDIDATE("candidate");

    private final String alias;

    Arm(String alias) {
        this.alias = alias;
    }

    /** The MLflow alias, also the arm's name in the HTTP API and the metrics' {@code arm} tag. */
    public String alias() {
        return alias;
    }
}
