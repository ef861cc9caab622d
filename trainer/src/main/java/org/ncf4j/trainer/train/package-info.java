/** The training loop, evaluation and checkpoints. */
package org.ncf4j.trainer.train;
