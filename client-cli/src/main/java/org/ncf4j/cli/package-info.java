/** The {@code ncf} command-line client: talks to the server over gRPC like any other client. */
package org.ncf4j.cli;
