/**
 * The bottom floor, which every other package may use: why a request could not be served, in the server's own
 * terms ({@link org.ncf4j.server.error.ServingError}, {@link org.ncf4j.server.error.ServingException}), which only
 * the gRPC layer maps to status codes, and caller-supplied text quoted in messages, bounded
 * ({@link org.ncf4j.server.error.Ids}).
 */
package org.ncf4j.server.error;
