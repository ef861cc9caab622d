/**
 * The NCF model without an ML runtime: its shape and parameter names ({@link org.ncf4j.graph.ModelShape}), weights
 * as plain arrays, the pair-scoring and whole-catalogue ranking ONNX graphs built from them (standard operators
 * only, opset 17, IR version 8), and bundles written from weights.
 */
package org.ncf4j.graph;
