/**
 * The Open Inference Protocol's view of the served models, apart from any transport: which tensors each model
 * takes and gives ({@link org.ncf4j.server.inference.InferenceModels}), and inference on them through the
 * recommendation service ({@link org.ncf4j.server.inference.InferenceService}). The gRPC and REST endpoints
 * translate their messages to {@link org.ncf4j.server.inference.Tensor}s and back.
 */
package org.ncf4j.server.inference;
