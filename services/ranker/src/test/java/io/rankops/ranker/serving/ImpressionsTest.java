package io.rankops.ranker.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankops.ranker.serving.Impression.Outcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The remembered lists' bounds and the rules an event must meet to count, on a clock of the test's own. */
class ImpressionsTest {

    private final AtomicLong now = new AtomicLong();

    private Impression list(Impressions store, String id, long... items) {
        return new Impression(id, Arm.CHAMPION, "1", 7, items, store.newToken(), new ArmStats("1"), store.expiryFromNow());
    }

    @Test
    void boundedByListsItemsAndAge() {
        Impressions store = new Impressions(3, 10, Duration.ofMinutes(30), now::get);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            assertTrue(store.remember(list(store, id, 1, 2)));
        }
        assertFalse(store.contains("a"), "a fourth list forgets the first");
        assertEquals(new Impressions.Usage(3, 6), store.usage());

        assertTrue(store.remember(list(store, "big", 1, 2, 3, 4, 5, 6, 7, 8)));
        assertEquals(new Impressions.Usage(2, 10), store.usage(), "items over all lists stay within 10");
        assertTrue(store.contains("big") && store.contains("d"));

        now.addAndGet(Duration.ofMinutes(30).toNanos());
        assertEquals(new Impressions.Usage(0, 0), store.usage(), "lists expire");
        assertTrue(store.find("big").isEmpty());
    }

    @Test
    void aRequestIdIsRememberedOnce() {
        Impressions store = new Impressions(10, 100, Duration.ofMinutes(30), now::get);
        Impression first = list(store, "r", 1);
        assertTrue(store.remember(first));
        assertFalse(store.remember(list(store, "r", 1, 2)));
        assertEquals(first, store.find("r").orElseThrow(), "the first list stays");
    }

    @Test
    void tokensAreFreshAndCheckedInFull() {
        Impressions store = new Impressions(10, 100, Duration.ofMinutes(30), now::get);
        String token = store.newToken();
        assertEquals(22, token.length());
        assertNotEquals(token, store.newToken());
        Impression served = new Impression("r", Arm.CHAMPION, "1", 7, new long[] {1}, token, new ArmStats("1"), 1);
        assertTrue(served.tokenMatches(token));
        assertFalse(served.tokenMatches(token.substring(0, 21)));
        assertFalse(served.tokenMatches(null));
    }

    @Test
    void anEventCountsOnlyInFunnelOrderOnceAndWithinTheCap() {
        ArmStats stats = new ArmStats("1");
        Impression served = new Impression("r", Arm.CHAMPION, "1", 7, new long[] {30, 10, 20}, "t", stats, 1);
        assertEquals(Outcome.NOT_IN_LIST, served.record(40, FeedbackEvent.CLICK, 2));
        assertEquals(Outcome.FUNNEL_BROKEN, served.record(10, FeedbackEvent.PURCHASE, 2));
        assertEquals(Outcome.FUNNEL_BROKEN, served.record(10, FeedbackEvent.ADD_TO_CART, 2));
        assertEquals(Outcome.COUNTED, served.record(10, FeedbackEvent.CLICK, 2));
        assertEquals(Outcome.DUPLICATE, served.record(10, FeedbackEvent.CLICK, 2));
        assertEquals(Outcome.FUNNEL_BROKEN, served.record(10, FeedbackEvent.PURCHASE, 2));
        assertEquals(Outcome.COUNTED, served.record(10, FeedbackEvent.ADD_TO_CART, 2));
        assertEquals(Outcome.COUNTED, served.record(10, FeedbackEvent.PURCHASE, 2));
        assertEquals(Outcome.COUNTED, served.record(30, FeedbackEvent.CLICK, 2));
        assertEquals(Outcome.CAP_REACHED, served.record(20, FeedbackEvent.CLICK, 2));
        assertEquals(2, stats.clicks());
        assertEquals(1, stats.carts());
        assertEquals(1, stats.orders());
        // the list's own length caps a kind too
        Impression one = new Impression("s", Arm.CHAMPION, "1", 7, new long[] {5}, "t", new ArmStats("1"), 1);
        assertEquals(Outcome.COUNTED, one.record(5, FeedbackEvent.CLICK, 50));
    }
}
