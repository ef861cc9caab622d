package org.ncf4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps external ids (strings such as {@code "1193"} or {@code "84707B"}) to dense indices 0..size-1 in order of
 * first appearance, and back.
 */
public final class IdMap {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> ids = new ArrayList<>();

    /** Returns the index of {@code id}, assigning the next free index if it is new. */
    public int add(String id) {
        Integer i = index.get(id);
        if (i != null) {
            return i;
        }
        int next = ids.size();
        index.put(id, next);
        ids.add(id);
        return next;
    }

    /** Returns the index of {@code id}, or -1 when it is unknown. */
    public int indexOf(String id) {
        Integer i = index.get(id);
        return i == null ? -1 : i;
    }

    /** Returns the external id of a dense index. */
    public String id(int index) {
        return ids.get(index);
    }

    public int size() {
        return ids.size();
    }

    /** The external ids in index order. */
    public List<String> ids() {
        return Collections.unmodifiableList(ids);
    }

    /** An id map whose external ids are the decimal strings "0".."size-1" (datasets with dense ids already). */
    public static IdMap identity(int size) {
        IdMap map = new IdMap();
        for (int i = 0; i < size; i++) {
            map.add(Integer.toString(i));
        }
        return map;
    }
}
