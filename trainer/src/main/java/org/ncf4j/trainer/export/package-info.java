/**
 * Export of trained models as bundles: the model's weights, the dataset's ids and training items, and the training
 * report go to {@link org.ncf4j.graph.BundleBuilder}, which builds the ONNX graphs.
 */
package org.ncf4j.trainer.export;
