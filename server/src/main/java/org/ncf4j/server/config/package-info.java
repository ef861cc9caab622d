/** The server's settings ({@code ncf.*}), checked at startup, and the version policy. */
package org.ncf4j.server.config;
