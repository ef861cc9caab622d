package org.ncf4j.bundle;

import org.ncf4j.data.DataException;

/** A bundle that cannot be used, with a message naming the file and what is wrong with it. */
public class BundleException extends DataException {
    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
