package io.rankops.ranker.model;

/**
 * Item id → snapshot row, as an open-addressing table of primitive longs (no boxing on the hot
 * path: a 5,000-candidate request does 5,000 lookups). Built once per snapshot, read-only after.
 */
final class ItemIndex {

    private final long[] keys;
    /** row + 1; 0 marks an empty slot. */
    private final int[] rows;
    private final int mask;

    ItemIndex(long[] ids) throws BadModelException {
        int capacity = Integer.highestOneBit(Math.max(4, ids.length * 2 - 1)) << 1;
        keys = new long[capacity];
        rows = new int[capacity];
        mask = capacity - 1;
        for (int row = 0; row < ids.length; row++) {
            int slot = slot(ids[row]);
            while (rows[slot] != 0) {
                if (keys[slot] == ids[row]) {
                    throw new BadModelException("item snapshot lists item_id " + ids[row] + " twice (rows "
                            + (rows[slot] - 1) + " and " + row + ")");
                }
                slot = (slot + 1) & mask;
            }
            keys[slot] = ids[row];
            rows[slot] = row + 1;
        }
    }

    /** The item's row, or -1 when the snapshot does not hold it. */
    int row(long id) {
        int slot = slot(id);
        while (rows[slot] != 0) {
            if (keys[slot] == id) {
                return rows[slot] - 1;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private int slot(long id) {
        // MurmurHash3's 64-bit finalizer: sequential ids spread over the table
        long h = id;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
