/**
 * The gRPC model server: serves NCF bundles from a model repository on ONNX Runtime. {@code inference} runs the
 * graphs, {@code repository} loads and swaps model versions, {@code service} holds the request logic and
 * {@code grpc} only translates messages.
 */
package org.ncf4j.server;
