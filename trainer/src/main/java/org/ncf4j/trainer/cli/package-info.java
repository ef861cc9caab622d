/** The {@code ncf-train} command: flags and config file to a training run, progress and one line per epoch. */
package org.ncf4j.trainer.cli;
