package org.ncf4j.graph;

import java.util.List;

/**
 * Rows of a table by index, {@code Gather(table, ids)}, the one way the graphs read their embeddings. A table
 * declared whole is one Gather, as it always was. A table declared in P pieces of R rows ({@link TablePieces})
 * becomes, for each piece p, a Gather of the piece at the ids made local to it and clamped into it,
 * {@code Max(Min(ids - p*R, rows_p - 1), 0)}, and the pieces' rows combined by
 * {@code Where(ids >= p*R, rows of piece p, rows so far)}: each id takes its row from the last piece that starts
 * at or before it, so an id in [0, rows) gets its own row. Ids outside the table are not refused, as a whole
 * table's Gather refuses them, but clamped into the first or last piece; callers pass valid ids. No node combines
 * the pieces themselves (a Concat of constants, which a runtime folds into a copy of the whole table).
 */
final class TableLookup {
    private TableLookup() {
    }

    /**
     * Adds the rows of {@code table} (a parameter of {@code w}, added to the graph here) at the int64 indices
     * {@code ids}, [N], as {@code output}, [N, columns]; returns {@code output}.
     */
    static String gather(OnnxGraph g, ModelWeights w, String table, String ids, String output) {
        long[] dims = w.dims(table);
        long rows = dims[0];
        long rowValues = 1;
        for (int d = 1; d < dims.length; d++) {
            rowValues *= dims[d];
        }
        long perPiece = g.external(table) ? g.pieces().rowsPerPiece(4 * rowValues) : Long.MAX_VALUE;
        if (rows <= perPiece) {
            return g.node("Gather", output, List.of(ScoringGraph.embedding(g, w, table), ids));
        }
        List<String> pieces = g.floatPieces(table, w.source(table), perPiece, dims);
        // the condition [N] broadcast over a row's dims: one trailing axis per dim of a row
        long[] axes = new long[dims.length - 1];
        for (int a = 0; a < axes.length; a++) {
            axes[a] = -1 - a;
        }
        String rowAxes = g.longs(output + ".row_axes", axes, axes.length);
        String zero = g.longs(output + ".zero", new long[] {0}, 1);
        String combined = null;
        for (int p = 0; p < pieces.size(); p++) {
            long first = p * perPiece;
            long last = Math.min(rows, first + perPiece) - 1 - first;
            String prefix = output + ".piece" + p;
            String start = p == 0 ? null : g.longs(prefix + ".first", new long[] {first}, 1);
            String shifted = p == 0 ? ids : g.node("Sub", prefix + ".shifted", List.of(ids, start));
            String below = g.node("Min", prefix + ".below_end", List.of(shifted,
                    g.longs(prefix + ".last", new long[] {last}, 1)));
            String local = g.node("Max", prefix + ".local", List.of(below, zero));
            String rowsOfPiece = g.node("Gather", prefix + ".rows", List.of(pieces.get(p), local));
            if (p == 0) {
                combined = rowsOfPiece;
                continue;
            }
            String reached = g.node("GreaterOrEqual", prefix + ".reached", List.of(ids, start));
            String condition = g.node("Unsqueeze", prefix + ".reached_rows", List.of(reached, rowAxes));
            combined = g.node("Where", p == pieces.size() - 1 ? output : prefix + ".combined",
                    List.of(condition, rowsOfPiece, combined));
        }
        return combined;
    }
}
