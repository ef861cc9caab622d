package org.ncf4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdMapTest {
    /** Small and huge numbers, non-canonical numbers and strings, against a HashMap doing the same. */
    @Test
    void assignsIndicesInOrderOfFirstSightWhateverTheKindOfId() {
        SplittableRandom r = new SplittableRandom(3);
        IdMap map = new IdMap();
        Map<String, Integer> expected = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            String id = switch (r.nextInt(6)) {
                case 0 -> Integer.toString(r.nextInt(50_000));
                case 1 -> Long.toString(r.nextLong(1, 999_999_999_999_999_999L));
                case 2 -> "0" + r.nextInt(1000);
                case 3 -> "u" + r.nextInt(30_000);
                case 4 -> "ü" + r.nextInt(100);
                default -> Integer.toString(r.nextInt(5_000_000));
            };
            Integer before = expected.putIfAbsent(id, expected.size());
            if (before == null) {
                order.add(id);
            }
            int got = r.nextBoolean() ? map.add(id) : add(map, id);
            assertEquals(expected.get(id), got, id);
        }
        assertEquals(order.size(), map.size());
        assertEquals(order, map.ids());
        for (String id : order) {
            assertEquals(expected.get(id), map.indexOf(id), id);
            assertEquals(id, map.id(expected.get(id)));
        }
        assertEquals(-1, map.indexOf("never"));
        assertEquals(-1, map.indexOf("123456789012"));
    }

    @Test
    void identityMapsDecimalStrings() {
        IdMap map = IdMap.identity(5);
        assertEquals(List.of("0", "1", "2", "3", "4"), map.ids());
        assertEquals(3, map.indexOf("3"));
        assertEquals(-1, map.indexOf("5"));
    }

    private static int add(IdMap map, String id) {
        byte[] b = ("  " + id + " ").getBytes(StandardCharsets.UTF_8);
        return map.add(b, 2, b.length - 1);
    }
}
