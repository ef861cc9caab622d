/** The gRPC services: message translation only, plus server reflection. */
package org.ncf4j.server.grpc;
