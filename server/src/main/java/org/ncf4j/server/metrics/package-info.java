/** Prometheus metrics of the server (Micrometer), served over HTTP at /prometheus. */
package org.ncf4j.server.metrics;
