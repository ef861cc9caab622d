/**
 * Export of trained models to ONNX: the pair-scoring graph and the whole-catalogue ranking graph, written from
 * the parameters' stable names with only standard operators (opset 17, IR version 8).
 */
package org.ncf4j.trainer.export;
