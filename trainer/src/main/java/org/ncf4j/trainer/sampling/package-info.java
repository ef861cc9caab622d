/** Training examples of each epoch: the positives and freshly sampled negatives, shuffled, on primitive arrays. */
package org.ncf4j.trainer.sampling;
