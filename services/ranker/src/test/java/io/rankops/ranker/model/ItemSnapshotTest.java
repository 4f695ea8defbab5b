package io.rankops.ranker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rankops.ranker.support.ItemSnapshots;
import io.rankops.ranker.support.ParityVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading a snapshot: its digest, its columns against the spec, lookups and the default row. */
class ItemSnapshotTest {

    private static final String SPEC = "{\"categorical\": [{\"name\": \"item_id\", \"cardinality\": 9},"
            + " {\"name\": \"category_id\", \"cardinality\": 9}, {\"name\": \"seller_id\", \"cardinality\": 9}],"
            + " \"numerical\": [\"log_price\", \"price_rel_category\", \"discount\", \"item_rating\", \"item_popularity\","
            + " \"text_relevance\"], \"item_features\": [\"category_id\", \"seller_id\", \"log_price\","
            + " \"price_rel_category\", \"discount\", \"item_rating\", \"item_popularity\"]}";

    private final List<ParityVectors.Case> cases = ParityVectors.load("shared_bottom.parity.json").cases().subList(0, 5);

    @Test
    void itemsAreFoundByIdAndUnknownOnesGetTheDefaultRow() throws Exception {
        FeatureSpec spec = FeatureSpec.parse(SPEC, new ObjectMapper());
        // seller ids 4, 4, 2, 2, 7 (a tie: the smaller wins); popularity 5, 1, 3, 2, 4 (lower median 3)
        long[] sellers = {4, 4, 2, 2, 7};
        double[] popularity = {5, 1, 3, 2, 4};
        byte[] bytes = ItemSnapshots.parquet(cases, (c, f) -> switch (f) {
            case "seller_id" -> sellers[cases.indexOf(c)];
            case "item_popularity" -> popularity[cases.indexOf(c)];
            default -> c.features().get(f).doubleValue();
        });
        ItemSnapshot snapshot = ItemSnapshot.load(bytes, "s3://b/items.parquet", ItemSnapshots.sha256(bytes), spec);

        assertEquals(5, snapshot.items());
        int seller = spec.categorical().indexOf("seller_id");
        int popular = spec.numerical().indexOf("item_popularity");
        assertTrue(!snapshot.servesNumerical(spec.numerical().indexOf("text_relevance")));
        for (int i = 0; i < cases.size(); i++) {
            int row = snapshot.row(cases.get(i).features().get("item_id").longValue());
            assertEquals(sellers[i], snapshot.categorical(seller, row));
            assertEquals((float) popularity[i], snapshot.numerical(popular, row));
        }
        assertEquals(-1, snapshot.row(123_456_789L));
        assertEquals(2, snapshot.categorical(seller, -1), "most frequent seller, ties to the smaller");
        assertEquals(3f, snapshot.numerical(popular, -1), "lower median");
    }

    @Test
    void otherBytesOrAMissingColumnAreRefused() throws Exception {
        FeatureSpec spec = FeatureSpec.parse(SPEC.replace("\"item_popularity\"]}", "\"item_popularity\", \"text_relevance\"]}"),
                new ObjectMapper());
        byte[] bytes = ItemSnapshots.parquet(cases);
        BadModelException digest = assertThrows(BadModelException.class,
                () -> ItemSnapshot.load(bytes, "s3://b/i", "0".repeat(64), spec));
        assertTrue(digest.getMessage().contains("changed after registration"), digest.getMessage());
        BadModelException column = assertThrows(BadModelException.class,
                () -> ItemSnapshot.load(bytes, "s3://b/i", ItemSnapshots.sha256(bytes), spec));
        assertTrue(column.getMessage().contains("has no column 'text_relevance'"), column.getMessage());
    }
}
