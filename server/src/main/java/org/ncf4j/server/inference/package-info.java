/** Running a bundle's ONNX graphs on ONNX Runtime, and choosing the execution provider. */
package org.ncf4j.server.inference;
