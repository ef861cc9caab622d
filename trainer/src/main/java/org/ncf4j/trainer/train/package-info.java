/**
 * A training run, {@link org.ncf4j.trainer.train.TrainingRun}: its epochs one after the other, each trained and
 * evaluated ({@code EpochLoop}), the best checkpoints kept ({@code BestCheckpoints}) in the run's output folder
 * ({@link org.ncf4j.trainer.train.RunFolder}), the state a stopped run goes on from ({@code TrainingState}, checked by
 * {@code ResumeCheck}), the mean of the parameters ({@code WeightAverage}), and what a finished run leaves: report,
 * chart and bundle ({@code RunResults}). It puts together the packages below it: the optimizer step
 * ({@link org.ncf4j.trainer.optim}), the evaluators ({@link org.ncf4j.trainer.eval}), the model, sampling, settings,
 * report and export.
 */
package org.ncf4j.trainer.train;
