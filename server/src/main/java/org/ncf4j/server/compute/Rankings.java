package org.ncf4j.server.compute;

/**
 * The k best items of each user of a ranking run, best first, as dense indices with their probabilities: one row
 * per user, in the order of the run's users.
 */
public record Rankings(long[][] items, float[][] scores) {
}
