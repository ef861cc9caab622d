package org.ncf4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files a user hands to a command: checked readable (naming the flag), read into ids or pairs. */
final class InputFiles {
    private InputFiles() {
    }

    /** The file, or a {@link UsageException} naming the flag when it cannot be read. */
    static Path readable(String flag, Path file) {
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new UsageException(flag + " " + file + ": no such readable file");
        }
        return file;
    }

    /** One id per non-blank line; at least one. */
    static List<String> ids(String flag, Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(readable(flag, file), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                ids.add(line.strip());
            }
        }
        if (ids.isEmpty()) {
            throw new UsageException(flag + " " + file + " lists no ids");
        }
        return ids;
    }

    /** {@code user,item} lines; a first line {@code user,item} is a header. */
    static List<String[]> pairs(String flag, Path file) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(readable(flag, file), StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || (lineNo == 1 && s.equalsIgnoreCase("user,item"))) {
                    continue;
                }
                String[] parts = s.split(",", -1);
                if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                    throw new UsageException(file + ":" + lineNo + ": expected user,item, found '"
                            + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'");
                }
                out.add(new String[] {parts[0].strip(), parts[1].strip()});
            }
        }
        return out;
    }

    /** A {@link UsageException} unless {@code value >= 1}. */
    static void positive(String flag, int value) {
        if (value < 1) {
            throw new UsageException(flag + " must be at least 1, got " + value);
        }
    }
}
