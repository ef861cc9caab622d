/**
 * The fused ranking kernel: the ranking graph's function computed in Java for the CPU
 * ({@link org.ncf4j.server.kernel.FusedRanker}), from the graph's constants read and checked against the model's
 * shape ({@code GraphConstants}), laid out in tiles of items ({@code TiledConstants}) and computed a tile at a time
 * with the JDK's vector API ({@code VectorTiles}) or plain loops ({@code ScalarTiles}), the k best chosen by
 * {@code TopK}; and its JIT warm-up ({@link org.ncf4j.server.kernel.KernelWarmUp}).
 */
package org.ncf4j.server.kernel;
