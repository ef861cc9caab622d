package org.ncf4j.server.config;

import java.util.Collections;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which versions of a model are loaded, as Triton's {@code version_policy}: {@code latest:N} (the N highest
 * loadable versions, the default being {@code latest:1}), {@code all}, or {@code specific:V1,V2,...}. Versions that
 * failed to load are not candidates, so with {@code latest:1} a broken new version leaves the previous one serving.
 */
public final class VersionPolicy {
    private final String text;
    private final int latest;
    private final SortedSet<Long> specific;

    private VersionPolicy(String text, int latest, SortedSet<Long> specific) {
        this.text = text;
        this.latest = latest;
        this.specific = specific;
    }

    /** Parses {@code latest:N}, {@code latest} (one), {@code all} or {@code specific:V1,V2}. */
    public static VersionPolicy parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        if (t.equals("all")) {
            return new VersionPolicy(t, Integer.MAX_VALUE, null);
        }
        if (t.equals("latest")) {
            return new VersionPolicy("latest:1", 1, null);
        }
        try {
            if (t.startsWith("latest:")) {
                int n = Integer.parseInt(t.substring("latest:".length()));
                if (n >= 1) {
                    return new VersionPolicy(t, n, null);
                }
            } else if (t.startsWith("specific:")) {
                SortedSet<Long> versions = new TreeSet<>();
                for (String v : t.substring("specific:".length()).split(",")) {
                    long version = Long.parseLong(v);
                    if (version < 1) {
                        throw new NumberFormatException();
                    }
                    versions.add(version);
                }
                return new VersionPolicy(t, 0, Collections.unmodifiableSortedSet(versions));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a version policy; expected latest:N (N >= 1), "
                + "all, or specific:V1,V2 (versions >= 1)");
    }

    /** The versions to load among {@code candidates} (versions on disk that have not failed). */
    public NavigableSet<Long> select(SortedSet<Long> candidates) {
        TreeSet<Long> out = new TreeSet<>();
        if (specific != null) {
            for (long v : candidates) {
                if (specific.contains(v)) {
                    out.add(v);
                }
            }
            return out;
        }
        for (long v : new TreeSet<>(candidates).descendingSet()) {
            if (out.size() == latest) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
