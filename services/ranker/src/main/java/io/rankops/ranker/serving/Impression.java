package io.rankops.ranker.serving;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One ranked list the ranker served: who served it (so feedback counts for that arm and model
 * version), the items it showed, the token issued with it, and which events each item has had.
 * Feedback is the only evidence the canary judges by, so an event counts only if it fits this
 * list: an item of it, the funnel in order (purchase ⇒ cart ⇒ click), each (item, event) once,
 * and at most {@code maxPerKind} events of a kind.
 */
public final class Impression {

    /** What became of one reported event. */
    public enum Outcome {
        COUNTED, NOT_IN_LIST, DUPLICATE, FUNNEL_BROKEN, CAP_REACHED
    }

    private final String requestId;
    private final Arm arm;
    private final String modelVersion;
    private final long userId;
    private final long[] sortedItems;
    private final byte[] token;
    private final ArmStats stats;
    private final long expiresAtNanos;
    /** Per item (index in sortedItems): a bit per FeedbackEvent already counted; allocated on first feedback. */
    private byte[] seen;
    private final int[] counted = new int[FeedbackEvent.values().length];

    public Impression(String requestId, Arm arm, String modelVersion, long userId, long[] itemIds, String token,
            ArmStats stats, long expiresAtNanos) {
        this.requestId = requestId;
        this.arm = arm;
        this.modelVersion = modelVersion;
        this.userId = userId;
        this.sortedItems = itemIds.clone();
        Arrays.sort(this.sortedItems);
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.stats = stats;
        this.expiresAtNanos = expiresAtNanos;
    }

    public String requestId() {
        return requestId;
    }

    public Arm arm() {
        return arm;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public int size() {
        return sortedItems.length;
    }

    boolean expired(long nowNanos) {
        return nowNanos - expiresAtNanos >= 0;
    }

    /** Constant-time, so response times tell a guesser nothing about how much of a token was right. */
    public boolean tokenMatches(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Counts the event for this list's arm if it fits the list; otherwise says why not and counts nothing. */
    public synchronized Outcome record(long itemId, FeedbackEvent event, int maxPerKind) {
        int index = Arrays.binarySearch(sortedItems, itemId);
        if (index < 0) {
            return Outcome.NOT_IN_LIST;
        }
        int bits = seen == null ? 0 : seen[index];
        int bit = 1 << event.ordinal();
        if ((bits & bit) != 0) {
            return Outcome.DUPLICATE;
        }
        FeedbackEvent before = event.requires();
        if (before != null && (bits & (1 << before.ordinal())) == 0) {
            return Outcome.FUNNEL_BROKEN;
        }
        if (counted[event.ordinal()] >= Math.min(maxPerKind, sortedItems.length)) {
            return Outcome.CAP_REACHED;
        }
        if (seen == null) {
            seen = new byte[sortedItems.length];
        }
        seen[index] = (byte) (bits | bit);
        counted[event.ordinal()]++;
        stats.recordEvent(event, userId);
        return Outcome.COUNTED;
    }
}
