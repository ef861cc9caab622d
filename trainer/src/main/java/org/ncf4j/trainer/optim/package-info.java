/**
 * One epoch of training on the model's parameters: the loss, the backward pass, the optimizer's step, and the
 * optimizer's state (moments, step counts) that a resumed run reads back ({@link org.ncf4j.trainer.optim.NamedArrays}).
 * {@link org.ncf4j.trainer.optim.EpochTrainer} is the way in. Adam on the CPU updates the embedding rows each batch
 * uses ({@code SparseTrainer}, one {@code EmbeddingTable} per table, skipped steps caught up by {@code SkippedSteps},
 * one or more Hogwild workers) and the dense layers with fused Adam ({@code CpuAdam}), both through the arithmetic of
 * {@code AdamStep}; the other optimizers, and every optimizer on a GPU, step through DJL ({@code DjlOptimizerUpdate}).
 * Nothing here knows of runs, checkpoints or evaluation.
 */
package org.ncf4j.trainer.optim;
