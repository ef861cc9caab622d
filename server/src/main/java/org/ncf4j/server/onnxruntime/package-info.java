/**
 * ONNX Runtime: a bundle's graphs opened as sessions ({@link org.ncf4j.server.onnxruntime.OnnxSessions}) and the
 * choice of execution provider, CPU or CUDA ({@link org.ncf4j.server.onnxruntime.ExecutionProvider}). A run that
 * fails here is the server's own {@code ServingException}: ONNX Runtime's types go no higher than the model package,
 * which opens and closes the sessions.
 */
package org.ncf4j.server.onnxruntime;
