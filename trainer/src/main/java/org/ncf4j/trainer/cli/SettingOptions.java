package org.ncf4j.trainer.cli;

import org.ncf4j.trainer.settings.TrainConfig;
import org.ncf4j.trainer.settings.TrainSetting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The training settings as options of {@code ncf-train}: one per {@link TrainSetting}, and the config they give. */
final class SettingOptions {
    private SettingOptions() {
    }

    /**
     * Adds an option per setting. They come first in the help, in the list's order: picocli orders the options by
     * their {@code order} when any has one, the others (the command's own, help and version: order -1) after them
     * in the order they were declared.
     */
    static void addTo(CommandSpec spec) {
        TrainSetting[] settings = TrainSetting.values();
        for (TrainSetting s : settings) {
            OptionSpec.Builder option = OptionSpec.builder(s.flag()).type(s.type()).paramLabel(s.paramLabel())
                    .description(s.description()).defaultValue(s.defaultValue()).order(s.ordinal() - settings.length
                            - 1);
            if (s.type() == boolean.class) {
                option.fallbackValue("true"); // set by the flag even when a config file's default is true
            } else if (s.type() == int[].class) {
                option.splitRegex(",");
            }
            spec.addOption(option.build());
        }
    }

    /**
     * The config the parsed options give.
     *
     * @throws IllegalArgumentException naming the value that is out of range, unknown or clashes with another
     */
    static TrainConfig config(CommandSpec spec) {
        TrainConfig.Builder builder = TrainConfig.builder();
        for (TrainSetting s : TrainSetting.values()) {
            Object value = spec.findOption(s.flag()).getValue();
            if (s.inConfig() && value != null) {
                s.applyTo(builder, value);
            }
        }
        return builder.build();
    }

    /** The device asked for: cpu, gpu or auto. */
    static String device(CommandSpec spec) {
        return spec.findOption(TrainSetting.DEVICE.flag()).getValue();
    }
}
