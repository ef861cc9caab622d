package org.ncf4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
            return read(file.toString(), in);
        } catch (NoSuchFileException e) {
            throw new DataException("interactions file not found: " + file, e);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads interactions from a stream; {@code source} names it in messages (a path, or zip!entry). */
    public Interactions read(String source, InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        reader.mark(1);
        if (reader.read() != '\uFEFF') { // a UTF-8 byte order mark is not part of the first field
            reader.reset();
        }
        String delim = format.delimiter();
        String line;
        int lineNo = 0;
        int[] cols;
        if (format.header()) {
            line = reader.readLine();
            lineNo++;
            if (line == null) {
                throw new DataException(source + ": the file is empty (expected a header line)");
            }
            List<String> header = split(line, delim, new ArrayList<>());
            cols = resolve(source, header);
        } else {
            cols = resolve(source, null);
        }
        int maxCol = 0;
        for (int c : cols) {
            maxCol = Math.max(maxCol, c);
        }
        Interactions.Builder builder = new Interactions.Builder();
        List<String> fields = new ArrayList<>();
        Double minRating = format.minRating();
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            fields.clear();
            split(line, delim, fields);
            if (fields.size() <= maxCol) {
                throw new DataException(String.format("%s:%d: expected at least %d fields separated by '%s' (%s), "
                        + "found %d in '%s'", source, lineNo, maxCol + 1, printable(delim), describe(cols),
                        fields.size(), DataException.abbreviate(line)));
            }
            String user = fields.get(cols[0]).strip();
            String item = fields.get(cols[1]).strip();
            if (user.isEmpty() || item.isEmpty()) {
                throw new DataException(String.format("%s:%d: empty %s id in '%s'", source, lineNo,
                        user.isEmpty() ? "user" : "item", DataException.abbreviate(line)));
            }
            if (cols[2] >= 0) {
                double rating = parseDouble(source, lineNo, "rating", fields.get(cols[2]));
                if (minRating != null && rating < minRating) {
                    continue;
                }
            }
            long ts = cols[3] >= 0 ? parseLong(source, lineNo, fields.get(cols[3])) : 0L;
            builder.add(user, item, ts);
        }
        if (builder.size() == 0) {
            throw new DataException(source + ": no interactions found" + (minRating != null
                    ? " with rating >= " + minRating : "") + " (is the file empty or the format wrong?)");
        }
        return builder.build(source);
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
            throw new DataException(String.format("%s:%d: %s '%s' is not a number", source, lineNo, what,
                    DataException.abbreviate(field)));
        }
    }

    private static long parseLong(String source, int lineNo, String field) {
        try {
            return Long.parseLong(field.strip());
        } catch (NumberFormatException e) {
            throw new DataException(String.format("%s:%d: timestamp '%s' is not an integer", source, lineNo,
                    DataException.abbreviate(field)));
        }
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
