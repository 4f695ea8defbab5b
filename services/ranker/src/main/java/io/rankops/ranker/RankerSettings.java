package io.rankops.ranker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The ranker's own settings (application.properties, overridable with RANKOPS_RANKER_* env vars). */
@ConfigMapping(prefix = "rankops.ranker")
public interface RankerSettings {

    /** The MLflow registered model whose {@code champion} and {@code candidate} aliases are served. */
    @WithDefault("rankops-ranker")
    String modelName();

    /** How often the aliases are re-read in the background (the scheduler reads the same key). */
    @WithDefault("15s")
    Duration refreshInterval();

    /** HTTP Basic credentials for /admin/* (the pipeline worker's). */
    String adminUser();

    String adminPassword();

    /** HTTP Basic credentials for POST /v1/feedback (the event pipeline's; locally the traffic simulator's). */
    String feedbackUser();

    String feedbackPassword();

    /** More candidates than this in one POST /v1/rank are refused with 413. */
    @WithDefault("5000")
    int maxCandidates();

    /**
     * The latency budget of one POST /v1/rank, from the moment the ranker has the parsed request: when
     * it passes before the model has scored, the ranker answers with the caller's order
     * ({@code timedOut: true}) and counts a timeout for the arm. A request's own {@code deadlineMs}
     * can only shorten it. 0 = none.
     */
    @WithDefault("250ms")
    Duration deadline();

    /**
     * What a compact request's item id that the model's item snapshot lacks gets: {@code default-row}
     * (scored with the snapshot's default row and counted in
     * {@code rankops_ranker_unknown_items_total}) or {@code refuse} (400 naming the ids).
     */
    @WithDefault("default-row")
    UnknownItems unknownItems();

    enum UnknownItems {
        DEFAULT_ROW, REFUSE
    }

    /** A caller-chosen requestId longer than this is refused with 400 (it is kept in memory until it expires). */
    @WithDefault("128")
    int maxRequestIdLength();

    /** JSON nested deeper than this is refused with 400 (a ranking request is 4 levels deep). */
    @WithDefault("16")
    int maxJsonDepth();

    Impressions impressions();

    Feedback feedback();

    AuthBackoff authBackoff();

    /** ONNX Runtime intra-op threads per session; 0 = ONNX Runtime's default (all cores). */
    @WithDefault("1")
    int onnxIntraOpThreads();

    /**
     * The ranked lists remembered for feedback. Both bounds hold at once (oldest forgotten first),
     * so the memory they take is capped whatever the callers send; feedback for a forgotten list
     * answers 404.
     */
    interface Impressions {

        /** Ranked lists remembered. */
        @WithDefault("100000")
        int maxRequests();

        /** Ranked items remembered over all lists (8 bytes each, plus a byte per item with feedback). */
        @WithDefault("5000000")
        int maxItems();

        /** How long after ranking a list still takes feedback. */
        @WithDefault("30m")
        Duration ttl();
    }

    interface Feedback {

        /**
         * Counted events of one kind (click, add_to_cart, purchase) per ranked list, at most; the
         * list's own length caps them too.
         */
        @WithDefault("50")
        int maxPerKind();
    }

    /**
     * Failed credential attempts per client address (admin and feedback counted apart): after
     * {@code freeFailures} in a row, every further attempt waits (429 with Retry-After) for a
     * delay that starts at {@code initialDelay} and doubles per failure up to {@code maxDelay}.
     * A success clears the address.
     */
    interface AuthBackoff {

        @WithDefault("5")
        int freeFailures();

        @WithDefault("1s")
        Duration initialDelay();

        @WithDefault("60s")
        Duration maxDelay();

        /** Addresses tracked at once (least recently failing forgotten first), so the table is bounded. */
        @WithDefault("10000")
        int maxAddresses();
    }
}
