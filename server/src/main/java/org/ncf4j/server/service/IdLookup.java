package org.ncf4j.server.service;

import org.ncf4j.data.IdMap;
import org.ncf4j.server.error.Ids;
import org.ncf4j.server.error.ServingException;
import org.ncf4j.server.model.ServedModel;

/** The dense indices of the ids a request names, or the error that names the id the model does not know. */
final class IdLookup {
    private IdLookup() {
    }

    static int knownUser(IdMap users, String id, ServedModel m, String where) {
        if (id.isEmpty()) {
            throw ServingException.invalid("the user id " + where + " is empty");
        }
        int u = users.indexOf(id);
        if (u < 0) {
            throw ServingException.notFound("unknown user " + Ids.quote(id) + " " + where + " (model " + m.name()
                    + " version " + m.version() + " has " + users.size() + " users)");
        }
        return u;
    }

    /** The index of an item a request names; {@code prefix} says which request of a batch. */
    static int item(IdMap items, String id, String prefix, String what, String where) {
        String at = where.isEmpty() ? "" : " " + where;
        if (id.isEmpty()) {
            throw ServingException.invalid(prefix + "the " + what + " id" + at + " is empty");
        }
        int i = items.indexOf(id);
        if (i < 0) {
            throw ServingException.invalid(prefix + "unknown " + what + " " + Ids.quote(id) + at);
        }
        return i;
    }

    /**
     * Checks a request's dense indices ({@code what}: "user" or "item") against the model's {@code size}:
     * INVALID_ARGUMENT for the first out of range.
     */
    static void indices(long[] ids, int size, String what, ServedModel m) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= size) {
                throw ServingException.invalid(what + " index " + ids[i] + " at position " + i + " is out of range: "
                        + "model " + Ids.quote(m.name()) + " version " + m.version() + " has " + size + " " + what
                        + "s (0 to " + (size - 1) + ")");
            }
        }
    }
}
