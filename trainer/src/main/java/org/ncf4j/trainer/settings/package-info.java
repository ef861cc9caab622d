/**
 * The training settings, defined once: {@link org.ncf4j.trainer.settings.TrainSetting} lists each one with its flag,
 * default, help and report key, from which the command's options, the defaults of {@link
 * org.ncf4j.trainer.settings.TrainConfig}'s builder and the report's settings follow; {@code TrainConfig} checks
 * their values, each rule once.
 */
package org.ncf4j.trainer.settings;
