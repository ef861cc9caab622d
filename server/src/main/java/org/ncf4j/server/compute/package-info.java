/**
 * The model's two computations as the rest of the server calls them, whoever computes them: ranking the whole
 * catalogue for a batch of users ({@link org.ncf4j.server.compute.Ranker}) and scoring (user, item) pairs
 * ({@link org.ncf4j.server.compute.PairScorer}), with their results. The ONNX Runtime sessions
 * ({@code onnxruntime}) and the fused Java kernel ({@code kernel}) implement them; no runtime's types appear here,
 * and a runtime's failure reaches callers as the server's own {@code ServingException}.
 */
package org.ncf4j.server.compute;
