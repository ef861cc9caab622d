package org.ncf4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads interactions from a delimited text file as described by a {@link DelimitedFormat}. */
public final class DelimitedReader {
    private final DelimitedFormat format;

    public DelimitedReader(DelimitedFormat format) {
        this.format = format;
    }

    /** Reads a file. A missing file, an empty file, an unknown column or a malformed line is a {@link DataException}. */
    public Interactions read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException("interactions file not found: " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in, Files.size(file));
        } catch (NoSuchFileException e) {
            throw new DataException("interactions file not found: " + file, e);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads interactions from a stream; {@code source} names it in messages (a path, or zip!entry). The bytes are
     * scanned in place (UTF-8; a delimiter's bytes cannot occur inside another character) and numeric ids never
     * become strings, so 20 million lines take seconds.
     */
    public Interactions read(String source, InputStream in) throws IOException {
        return read(source, in, -1);
    }

    /** As above; {@code bytes}, the stream's length when known (else -1), sizes the arrays up front. */
    private Interactions read(String source, InputStream in, long bytes) throws IOException {
        Lines lines = new Lines(in);
        byte[] delim = format.delimiter().getBytes(StandardCharsets.UTF_8);
        int lineNo = 0;
        int[] cols;
        if (format.header()) {
            lineNo++;
            if (!lines.next()) {
                throw new DataException(source + ": the file is empty (expected a header line)");
            }
            List<String> header = split(lines.text(), format.delimiter(), new ArrayList<>());
            cols = resolve(source, header);
        } else {
            cols = resolve(source, null);
        }
        int maxCol = 0;
        for (int c : cols) {
            maxCol = Math.max(maxCol, c);
        }
        Interactions.Builder builder = new Interactions.Builder(lines.estimate(bytes));
        Double minRating = format.minRating();
        int[] starts = new int[maxCol + 1];
        int[] ends = new int[maxCol + 1];
        while (lines.next()) {
            lineNo++;
            byte[] b = lines.bytes;
            int from = lines.start;
            int to = lines.end;
            if (blank(b, from, to)) {
                continue;
            }
            int found = fields(b, from, to, delim, starts, ends);
            if (found <= maxCol) {
                throw new DataException(String.format("%s:%d: expected at least %d fields separated by '%s' (%s), "
                        + "found %d in '%s'", source, lineNo, maxCol + 1, printable(format.delimiter()),
                        describe(cols), count(b, from, to, delim), DataException.abbreviate(lines.text())));
            }
            if (cols[2] >= 0) {
                double rating = parseDouble(source, lineNo, "rating", field(b, starts[cols[2]], ends[cols[2]]));
                if (minRating != null && rating < minRating) {
                    continue;
                }
            }
            long ts = cols[3] >= 0 ? parseLong(source, lineNo, b, starts[cols[3]], ends[cols[3]]) : 0L;
            int user = id(builder, true, b, starts[cols[0]], ends[cols[0]]);
            int item = id(builder, false, b, starts[cols[1]], ends[cols[1]]);
            if (user < 0 || item < 0) {
                throw new DataException(String.format("%s:%d: empty %s id in '%s'", source, lineNo,
                        user < 0 ? "user" : "item", DataException.abbreviate(lines.text())));
            }
            builder.add(user, item, ts);
        }
        if (builder.size() == 0) {
            throw new DataException(source + ": no interactions found" + (minRating != null
                    ? " with rating >= " + minRating : "") + " (is the file empty or the format wrong?)");
        }
        return builder.build(source);
    }

    /** The stripped id in {@code b[from, to)} added to the builder's users or items; -1 when empty. */
    private static int id(Interactions.Builder builder, boolean user, byte[] b, int from, int to) {
        while (from < to && space(b[from])) {
            from++;
        }
        while (to > from && space(b[to - 1])) {
            to--;
        }
        for (int i = from; i < to; i++) {
            if (b[i] < 0) { // non-ASCII: let String.strip decide what is white space
                String s = new String(b, from, to - from, StandardCharsets.UTF_8).strip();
                return s.isEmpty() ? -1 : user ? builder.userIndex(s) : builder.itemIndex(s);
            }
        }
        if (from == to) {
            return -1;
        }
        return user ? builder.userIndex(b, from, to) : builder.itemIndex(b, from, to);
    }

    /** Splits {@code b[from, to)} at the delimiter into up to {@code starts.length} fields; returns how many. */
    private static int fields(byte[] b, int from, int to, byte[] delim, int[] starts, int[] ends) {
        int n = 0;
        int at = from;
        starts[0] = from;
        while (n < starts.length) {
            int d = indexOf(b, at, to, delim);
            if (d < 0) {
                ends[n++] = to;
                return n;
            }
            ends[n++] = d;
            at = d + delim.length;
            if (n < starts.length) {
                starts[n] = at;
            }
        }
        return n;
    }

    private static int count(byte[] b, int from, int to, byte[] delim) {
        int n = 1;
        for (int at = from, d; (d = indexOf(b, at, to, delim)) >= 0; at = d + delim.length) {
            n++;
        }
        return n;
    }

    private static int indexOf(byte[] b, int from, int to, byte[] delim) {
        byte first = delim[0];
        outer:
        for (int i = from; i <= to - delim.length; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int k = 1; k < delim.length; k++) {
                if (b[i + k] != delim[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The ASCII white space a field may carry around it (others are left to String.strip). */
    private static boolean space(byte c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) { // non-ASCII: let String.isBlank decide
                return new String(b, from, to - from, StandardCharsets.UTF_8).isBlank();
            }
            if (!space(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static String field(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /** Lines of a stream as ranges of a buffer, without the line break; a leading UTF-8 byte order mark is skipped. */
    private static final class Lines {
        private final InputStream in;
        byte[] bytes = new byte[1 << 20];
        private int filled;
        private int next;
        private boolean eof;
        int start;
        int end;

        Lines(InputStream in) throws IOException {
            this.in = in;
            fill();
            if (filled >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
                next = 3;
            }
        }

        boolean next() throws IOException {
            while (true) {
                for (int i = next; i < filled; i++) {
                    if (bytes[i] == '\n') {
                        start = next;
                        end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                        next = i + 1;
                        return true;
                    }
                }
                if (eof) {
                    if (next < filled) {
                        start = next;
                        end = bytes[filled - 1] == '\r' ? filled - 1 : filled;
                        next = filled;
                        return true;
                    }
                    return false;
                }
                // keep the partial line, then read more (growing the buffer for a line longer than it)
                int rest = filled - next;
                if (next == 0 && rest == bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
                } else {
                    System.arraycopy(bytes, next, bytes, 0, rest);
                }
                filled = rest;
                next = 0;
                fill();
            }
        }

        private void fill() throws IOException {
            while (filled < bytes.length) {
                int n = in.read(bytes, filled, bytes.length - filled);
                if (n < 0) {
                    eof = true;
                    return;
                }
                filled += n;
            }
        }

        String text() {
            return new String(bytes, start, end - start, StandardCharsets.UTF_8);
        }

        /**
         * About how many lines a stream of {@code total} bytes holds (5% over), judged by the lines of the first
         * buffer; 1024 when the length is unknown.
         */
        int estimate(long total) {
            if (total <= 0) {
                return 1024;
            }
            int breaks = 0;
            for (int i = 0; i < filled; i++) {
                if (bytes[i] == '\n') {
                    breaks++;
                }
            }
            if (breaks == 0 || eof) {
                return breaks + 1;
            }
            return (int) Math.min(Integer.MAX_VALUE - 16, (long) (1.05 * total / filled * breaks) + 16);
        }
    }

    /** Column indices of user, item, rating, timestamp; -1 for an absent optional column. */
    private int[] resolve(String source, List<String> header) {
        return new int[] {
            column(source, "user", format.user(), header),
            column(source, "item", format.item(), header),
            format.rating() == null ? -1 : column(source, "rating", format.rating(), header),
            format.timestamp() == null ? -1 : column(source, "timestamp", format.timestamp(), header)
        };
    }

    private static int column(String source, String role, String spec, List<String> header) {
        if (header != null) {
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).strip().equals(spec)) {
                    return i;
                }
            }
        }
        try {
            int index = Integer.parseInt(spec);
            if (index < 0) {
                throw new DataException("the " + role + " column index must be >= 0, got " + spec);
            }
            if (header != null && index >= header.size()) {
                throw new DataException(source + ": the " + role + " column " + index + " is beyond the header "
                        + header);
            }
            return index;
        } catch (NumberFormatException e) {
            throw new DataException(source + ": unknown " + role + " column '" + spec + "'"
                    + (header == null ? " (the file has no header, so columns are 0-based numbers)"
                            : "; the header has " + header));
        }
    }

    private static List<String> split(String line, String delim, List<String> out) {
        int start = 0;
        int at;
        while ((at = line.indexOf(delim, start)) >= 0) {
            out.add(line.substring(start, at));
            start = at + delim.length();
        }
        out.add(line.substring(start));
        return out;
    }

    private static double parseDouble(String source, int lineNo, String what, String field) {
        try {
            return Double.parseDouble(field.strip());
        } catch (NumberFormatException e) {
            throw new DataException(String.format("%s:%d: %s '%s' is not a number%s", source, lineNo, what,
                    DataException.abbreviate(field), headerHint(lineNo)));
        }
    }

    private static long parseLong(String source, int lineNo, byte[] b, int from, int to) {
        int i = from;
        int e = to;
        while (i < e && space(b[i])) {
            i++;
        }
        while (e > i && space(b[e - 1])) {
            e--;
        }
        boolean negative = i < e && b[i] == '-';
        int d = negative ? i + 1 : i;
        if (d < e && e - d <= 18) {
            long v = 0;
            for (int k = d; k < e; k++) {
                if (b[k] < '0' || b[k] > '9') {
                    return parseLong(source, lineNo, field(b, from, to));
                }
                v = v * 10 + (b[k] - '0');
            }
            return negative ? -v : v;
        }
        return parseLong(source, lineNo, field(b, from, to));
    }

    private static long parseLong(String source, int lineNo, String field) {
        try {
            return Long.parseLong(field.strip());
        } catch (NumberFormatException e) {
            throw new DataException(String.format("%s:%d: timestamp '%s' is not an integer%s", source, lineNo,
                    DataException.abbreviate(field), headerHint(lineNo)));
        }
    }

    /** Line 1 is data only when the file is read without a header: it may be one that was not declared. */
    private static String headerHint(int lineNo) {
        return lineNo == 1 ? " (if the first line names the columns, read the file with a header: --header)" : "";
    }

    private String describe(int[] cols) {
        StringBuilder sb = new StringBuilder("user in column " + cols[0] + ", item in " + cols[1]);
        if (cols[2] >= 0) {
            sb.append(", rating in ").append(cols[2]);
        }
        if (cols[3] >= 0) {
            sb.append(", timestamp in ").append(cols[3]);
        }
        return sb.toString();
    }

    private static String printable(String delim) {
        return delim.replace("\t", "\\t");
    }
}
