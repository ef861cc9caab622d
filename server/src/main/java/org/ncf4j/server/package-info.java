/**
 * The gRPC model server: serves NCF bundles from a model repository on ONNX Runtime. This package starts, wires and
 * stops it. The packages below it, each using only those listed after it:
 * <ul>
 *   <li>{@code grpc}: the transport; translates messages, maps errors to statuses, owns the event loops;</li>
 *   <li>{@code health} and {@code metrics}: gRPC and HTTP health, Prometheus metrics, kept in step with the
 *       repository;</li>
 *   <li>{@code service}: the request logic (validation, id mapping, exclusions, fallback), no gRPC types;</li>
 *   <li>{@code repository}: model versions on disk, loaded, swapped and unloaded;</li>
 *   <li>{@code model}: one served model version, its handles and its loader;</li>
 *   <li>{@code batching}: concurrent requests combined into model runs;</li>
 *   <li>{@code kernel} and {@code onnxruntime}: the two ways to run a model, the fused Java kernel and the ONNX
 *       graphs in ONNX Runtime;</li>
 *   <li>{@code compute}: what both of them compute (ranking, pair scoring), as the model calls them;</li>
 *   <li>{@code config} and {@code error}: the settings, and the server's own errors, usable from anywhere.</li>
 * </ul>
 */
package org.ncf4j.server;
