package org.ncf4j.graph;

/**
 * Which tables the graphs declare in pieces, and how many rows each piece holds. A table stored as external data
 * with more rows than a piece holds is declared as several initializers ({@code <table>.piece<p>},
 * {@link org.ncf4j.contract.TensorNames#piece}), each over a range of consecutive rows of the one stored table, so
 * that a runtime can take every initializer from one buffer (a Java buffer holds at most 2 GB). The data file is
 * the same either way: the table is written once, whole; only the graphs' view of it is split.
 *
 * <p>By default ({@link #DEFAULT}) a piece holds the largest multiple of {@value #ROW_MULTIPLE} rows that fits
 * in {@value #MAX_PIECE_BYTES} bytes (1 GiB): each piece then starts on a page of the data file (1,024 rows of a
 * whole number of floats are a multiple of 4,096 bytes) and fits one buffer. Tables of at most that many rows, all
 * of them but the largest, are declared whole, as before. Rows over 1 MiB (where 1,024 rows exceed 1 GiB) are
 * never split.
 */
public final class TablePieces {
    /** The most bytes a piece holds by default. */
    public static final long MAX_PIECE_BYTES = 1L << 30;
    /** Pieces hold a multiple of this many rows by default, so that each starts on a 4,096-byte page. */
    public static final long ROW_MULTIPLE = 1024;
    /** Pieces by size, as bundles are exported. */
    public static final TablePieces DEFAULT = new TablePieces(0);

    private final long rows;

    private TablePieces(long rows) {
        this.rows = rows;
    }

    /**
     * Pieces of {@code rows} rows (the last may hold fewer) for every external table of more rows, whatever its
     * size: for tests, which split small tables so as to run the path of large ones.
     */
    public static TablePieces ofRows(long rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("pieces of " + rows + " rows");
        }
        return new TablePieces(rows);
    }

    /**
     * Rows per piece for a table whose rows take {@code rowBytes} bytes: a table of more rows is split; with
     * {@link Long#MAX_VALUE} none is.
     */
    public long rowsPerPiece(long rowBytes) {
        if (rows > 0) {
            return rows;
        }
        long r = MAX_PIECE_BYTES / Math.max(1, rowBytes) / ROW_MULTIPLE * ROW_MULTIPLE;
        return r > 0 ? r : Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return rows > 0 ? "pieces of " + rows + " rows" : "pieces of at most " + MAX_PIECE_BYTES + " bytes";
    }
}
