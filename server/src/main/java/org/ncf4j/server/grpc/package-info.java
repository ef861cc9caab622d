/**
 * The gRPC layer: message translation ({@link org.ncf4j.server.grpc.RecommenderEndpoint}), the mapping of errors to
 * statuses, parsing that answers malformed requests, call tracing for metrics and logs, and the services'
 * registration.
 */
package org.ncf4j.server.grpc;
