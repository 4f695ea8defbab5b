package io.rankops.ranker.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The ranked order: descending score, ties in the candidates' order, as a boxed stable sort gives it. */
class BestFirstTest {

    @Test
    void descendingWithTiesInTheCallersOrder() {
        float[] scores = {0.5f, -1.5f, 2f, 0.5f, -0f, 0f, Float.NEGATIVE_INFINITY, 2f, -1e-30f, 1e-30f};
        assertArrayEquals(new int[] {2, 7, 0, 3, 9, 4, 5, 8, 1, 6}, RankingService.bestFirst(scores));
    }

    @Test
    void agreesWithAStableComparatorSortOnRandomScores() {
        Random random = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            float[] scores = new float[1 + random.nextInt(2000)];
            for (int i = 0; i < scores.length; i++) {
                // few distinct values, so ties are common; both signs
                scores[i] = random.nextBoolean() ? random.nextInt(7) - 3 : (float) random.nextGaussian() * 1e3f;
            }
            Integer[] expected = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
            Arrays.sort(expected, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
            assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), RankingService.bestFirst(scores));
        }
    }
}
