/** The request logic: id mapping, validation, exclusions, popularity fallback; no gRPC types but status codes. */
package org.ncf4j.server.service;
