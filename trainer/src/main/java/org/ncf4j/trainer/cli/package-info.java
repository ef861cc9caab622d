/**
 * The {@code ncf-train} and {@code ncf-export} commands: flags and config file to a training run on the device asked
 * for ({@link org.ncf4j.trainer.cli.DeviceChoice}), progress and one line per epoch; a checkpoint to a bundle.
 */
package org.ncf4j.trainer.cli;
