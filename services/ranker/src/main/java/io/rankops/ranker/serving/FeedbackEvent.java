package io.rankops.ranker.serving;

import java.util.Arrays;

/** The funnel events a client reports for a ranked item, in funnel order. */
public enum FeedbackEvent {
    CLICK("click"),
    ADD_TO_CART("add_to_cart"),
    PURCHASE("purchase");

    private final String wireName;

    FeedbackEvent(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The event the same item must have had in the same list first (null for a click). */
    public FeedbackEvent requires() {
        return switch (this) {
            case CLICK -> null;
            case ADD_TO_CART -> CLICK;
            case PURCHASE -> ADD_TO_CART;
        };
    }

    public static FeedbackEvent parse(String value) {
        return Arrays.stream(values()).filter(e -> e.wireName.equals(value)).findFirst()
                .orElseThrow(() -> RankerException.badRequest(
                        "event must be one of click, add_to_cart, purchase; got " + (value == null ? "nothing" : "'" + value + "'")));
    }
}
