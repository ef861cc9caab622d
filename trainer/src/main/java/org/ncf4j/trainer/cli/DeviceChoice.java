package org.ncf4j.trainer.cli;

import ai.djl.Device;
import java.util.Locale;

/**
 * Picks the training device from {@code cpu}, {@code gpu} or {@code auto}. {@code auto} takes the first GPU when
 * the PyTorch native library sees one and says why it fell back to the CPU otherwise; {@code gpu} without a
 * GPU is an error, since a run the user asked to put on a GPU should not silently take hours on a CPU.
 */
public final class DeviceChoice {
    /** The decision and, for a fallback, why it was made. */
    public record Decision(Device device, String note) {
    }

    private DeviceChoice() {
    }

    /** Refuses a device name that is none of cpu, gpu or auto, before anything is loaded. */
    public static void requireKnown(String requested) {
        String r = requested.toLowerCase(Locale.ROOT);
        if (!r.equals("cpu") && !r.equals("gpu") && !r.equals("auto")) {
            throw unknown(requested);
        }
    }

    private static IllegalArgumentException unknown(String requested) {
        return new IllegalArgumentException("unknown device '" + requested + "', expected cpu, gpu or auto");
    }

    /**
     * @param requested cpu, gpu or auto (any case)
     * @param gpuCount how many GPUs the engine sees
     * @param engineFlavor which native library is loaded (e.g. "cpu" or "cu128"), for the message
     */
    public static Decision choose(String requested, int gpuCount, String engineFlavor) {
        switch (requested.toLowerCase(Locale.ROOT)) {
            case "cpu":
                return new Decision(Device.cpu(), null);
            case "gpu":
                if (gpuCount > 0) {
                    return new Decision(Device.gpu(), null);
                }
                throw new IllegalArgumentException("--device gpu, but no GPU is visible to PyTorch (native library "
                        + engineFlavor + "); build with -Pgpu (NCF_MAVEN_ARGS=-Pgpu for bin/ncf-train) on a machine with CUDA, or use --device auto or cpu");
            case "auto":
                if (gpuCount > 0) {
                    return new Decision(Device.gpu(), null);
                }
                return new Decision(Device.cpu(), "no GPU visible to PyTorch (native library " + engineFlavor
                        + "), training on the CPU");
            default:
                throw unknown(requested);
        }
    }
}
