/**
 * Dynamic batching ({@link org.ncf4j.server.batching.DynamicBatcher}): concurrent requests combined into model
 * runs, with Triton's knobs ({@link org.ncf4j.server.batching.BatchSettings}), a bounded queue, deadlines, and runs
 * on the I/O loop that received a call when the model is idle ({@link org.ncf4j.server.batching.IoLoops}, which
 * the gRPC layer implements). Knows nothing of what it runs, nor of any transport.
 */
package org.ncf4j.server.batching;
