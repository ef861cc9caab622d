package org.ncf4j.cli;

import java.util.Locale;
import org.ncf4j.api.v1.Ranking;

/** The {@code --ranking} option's values and how answers name the way they were ranked. */
final class Rankings {
    private Rankings() {
    }

    /** default, exact or retrieval (any case) as the request's ranking; else a usage error. */
    static Ranking parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "default" -> Ranking.RANKING_DEFAULT;
            case "exact" -> Ranking.RANKING_EXACT;
            case "retrieval" -> Ranking.RANKING_RETRIEVAL;
            default -> throw new UsageException("--ranking is default, exact or retrieval"
                    + (value.isEmpty() ? "" : ", got '" + value + "'"));
        };
    }

    /** exact or retrieval, as an answer's ranked_by says; popularity for a fallback (the default value). */
    static String label(Ranking rankedBy) {
        return switch (rankedBy) {
            case RANKING_EXACT -> "exact";
            case RANKING_RETRIEVAL -> "retrieval";
            default -> "popularity";
        };
    }
}
