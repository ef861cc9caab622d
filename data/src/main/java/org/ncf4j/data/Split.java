package org.ncf4j.data;

/**
 * A dataset split for training and leave-one-out evaluation.
 *
 * @param name a short name of the dataset (for reports and model cards)
 * @param users external user ids
 * @param items external item ids
 * @param train each user's training items; every distinct pair is one training positive
 * @param test the held-out test item of each user that has one, with its negatives
 * @param validation the held-out validation item of each user that has one, or null when the split has none
 * @param trainOnlyUsers users with a single interaction, kept in training only (no test item)
 */
public record Split(String name, IdMap users, IdMap items, UserItems train, EvalSet test, EvalSet validation,
                    int trainOnlyUsers) {

    /**
     * Checks that the split can train and be evaluated: some training pairs and at least one held-out item.
     *
     * @throws DataException naming what is missing
     */
    public Split requireTrainable() {
        if (train.size() == 0) {
            throw new DataException(name + ": no training interactions left after holding out test items");
        }
        if (test.size() == 0) {
            throw new DataException(name + ": no user has two or more distinct items, so none can hold one out "
                    + "for evaluation (" + trainOnlyUsers + " users with a single item)");
        }
        return this;
    }

    public int numUsers() {
        return users.size();
    }

    public int numItems() {
        return items.size();
    }

    /** One line describing the split, for logs. */
    public String summary() {
        return String.format("%s: %,d users, %,d items, %,d training pairs, %,d test users%s%s", name, numUsers(),
                numItems(), train.size(), test.size(),
                validation == null ? "" : String.format(", %,d validation users", validation.size()),
                trainOnlyUsers == 0 ? "" : String.format(", %,d users with one interaction kept in training only",
                        trainOnlyUsers));
    }
}
