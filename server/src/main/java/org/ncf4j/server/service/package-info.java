/**
 * The request logic: validation, id mapping, exclusions, popularity fallback, model description; no gRPC types.
 * Failures are {@link org.ncf4j.server.error.ServingException}s of a {@link org.ncf4j.server.error.ServingError}
 * kind, which the endpoint maps to status codes.
 */
package org.ncf4j.server.service;
