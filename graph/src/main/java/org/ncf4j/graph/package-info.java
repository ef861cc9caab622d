/**
 * The NCF model's ONNX graphs without an ML runtime: weights as plain arrays ({@link org.ncf4j.graph.ModelWeights}),
 * the pair-scoring and whole-catalogue ranking graphs built from them as the contract names and shapes them
 * ({@link org.ncf4j.contract.ModelShape}; standard operators only, opset 17, IR version 8), and bundles written from
 * weights.
 */
package org.ncf4j.graph;
