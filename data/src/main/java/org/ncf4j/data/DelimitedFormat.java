package org.ncf4j.data;

/**
 * How to read a delimited interactions file: the delimiter, whether the first line is a header, and which columns
 * hold the user, the item and, optionally, the rating and the timestamp. A column is a 0-based index
 * ({@code "0"}) or, for files with a header, a column name ({@code "user_id"}).
 *
 * @param delimiter the field separator, one or more characters ({@code ","}, {@code "\t"}, {@code "::"})
 * @param header whether the first line names the columns
 * @param user the user column
 * @param item the item column
 * @param rating the rating column, or null when the file has none
 * @param timestamp the timestamp column (an integer), or null when the file has none (file order then decides)
 * @param minRating interactions rated below this are dropped; null keeps every interaction
 */
public record DelimitedFormat(String delimiter, boolean header, String user, String item, String rating,
                              String timestamp, Double minRating) {

    public DelimitedFormat {
        if (delimiter == null || delimiter.isEmpty()) {
            throw new DataException("the delimiter must not be empty");
        }
        if (user == null || item == null) {
            throw new DataException("the user and item columns must be given");
        }
        if (minRating != null && rating == null) {
            throw new DataException("a minimum rating needs a rating column");
        }
    }

    /** MovieLens 1M {@code ratings.dat}: {@code UserID::MovieID::Rating::Timestamp}, no header. */
    public static DelimitedFormat movieLens() {
        return new DelimitedFormat("::", false, "0", "1", "2", "3", null);
    }

    /** The same format keeping only interactions rated at least {@code min}. */
    public DelimitedFormat withMinRating(Double min) {
        return new DelimitedFormat(delimiter, header, user, item, rating, timestamp, min);
    }
}
