/**
 * The served model: one version of a bundle as calls see it ({@link org.ncf4j.server.model.ServedModel}: its data,
 * what ranks and scores, a dynamic batcher per call type), the reference-counted handles that keep it open while
 * calls and runs use it ({@link org.ncf4j.server.model.RefCounted}), and its loader
 * ({@link org.ncf4j.server.model.ModelLoader}), which opens the ONNX sessions, decides between the ranking graph
 * and the fused kernel ({@link org.ncf4j.server.model.RankerCheck}, timings) and sizes the ranking runs. ONNX
 * Runtime's types go no higher than here: the model's API fails with the server's own {@code ServingException}.
 */
package org.ncf4j.server.model;
