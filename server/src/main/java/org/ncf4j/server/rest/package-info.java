/**
 * The Open Inference Protocol's REST routes ({@code /v2/...}) on the HTTP port: JSON translated to and from the
 * transport-free {@link org.ncf4j.server.inference.InferenceService}.
 */
package org.ncf4j.server.rest;
