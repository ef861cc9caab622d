package org.ncf4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** How a command prints its result: an aligned table for people, or one JSON document per line for scripts. */
public final class Output {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    public boolean json() {
        return json;
    }

    /** An ordered JSON object from alternating keys and values: the same key order on every run. */
    public static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** One compact JSON document on its own line. */
    public static void json(PrintWriter out, Object value) {
        out.println(jsonLine(value));
        out.flush();
    }

    /** A value as compact JSON, without a line break. */
    public static String jsonLine(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Columns padded to their widest cell; numbers (cells that parse as one) are right-aligned. */
    public static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        out.println(line(header, width, false));
        for (List<String> row : rows) {
            out.println(line(row, width, true));
        }
        out.flush();
    }

    private static String line(List<String> cells, int[] width, boolean alignNumbers) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            boolean last = c == cells.size() - 1;
            if (alignNumbers && isNumber(cell)) {
                b.append(pad).append(cell);
            } else {
                b.append(cell).append(last ? "" : pad);
            }
            if (!last) {
                b.append("  ");
            }
        }
        return b.toString().stripTrailing();
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
