/** Health: the standard gRPC health service, whether the server serves, and HTTP health agreeing with it. */
package org.ncf4j.server.health;
