/**
 * The NCF model's contract, shared by every module that trains, writes, checks or serves a model: its variants and
 * shape, the names and shapes of its parameters and of the ranking graph's derived constants
 * ({@link org.ncf4j.contract.TensorNames}, {@link org.ncf4j.contract.ModelShape}), and the inputs and outputs of
 * its two ONNX graphs ({@link org.ncf4j.contract.GraphIO}); beside them, in this module, the subset of the ONNX
 * schema the graphs are written in ({@code org.ncf4j.onnx.OnnxProto}). It sits below the bundle format, so that
 * the CLI, which reads bundles but never builds graphs, shares it too.
 */
package org.ncf4j.contract;
