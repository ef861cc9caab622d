package org.ncf4j.server.onnxruntime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Locale;

/**
 * Chooses where ONNX Runtime runs: {@code cpu}, {@code cuda} (on a device id) or {@code auto}, which takes CUDA
 * when its provider loads and otherwise falls back to the CPU, saying why. {@code cuda} without CUDA is an error:
 * a server told to use a GPU should not quietly serve at CPU speed.
 */
public final class ExecutionProvider {
    /** Where sessions run, and, after a fallback, why. */
    public record Choice(String name, boolean cuda, int device, String fallbackReason) {
    }

    /** Adds the CUDA provider to session options; throws when CUDA cannot be used. */
    @FunctionalInterface
    public interface CudaProbe {
        void addCuda(OrtSession.SessionOptions options, int device) throws OrtException;
    }

    private ExecutionProvider() {
    }

    /**
     * @param requested cpu, cuda or auto
     * @param device the CUDA device id
     * @param probe how to try CUDA (in production {@code options.addCUDA(device)})
     */
    public static Choice choose(String requested, int device, CudaProbe probe) {
        String r = requested == null ? "auto" : requested.strip().toLowerCase(Locale.ROOT);
        switch (r) {
            case "cpu":
                return new Choice("cpu", false, 0, null);
            case "cuda":
            case "auto":
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    probe.addCuda(options, device);
                    return new Choice("cuda:" + device, true, device, null);
                } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                    String reason = "CUDA execution provider unavailable (" + e.getMessage() + ")";
                    if (r.equals("cuda")) {
                        throw new IllegalStateException("ncf.execution-provider is cuda but " + reason
                                + "; build with -Pgpu on a machine with CUDA 12 and cuDNN 9, or use auto or cpu");
                    }
                    return new Choice("cpu", false, 0, reason);
                }
            default:
                throw new IllegalArgumentException("unknown ncf.execution-provider '" + requested
                        + "', expected cpu, cuda or auto");
        }
    }

    /** Session options for the choice, with the given intra-op threads. */
    public static OrtSession.SessionOptions options(Choice choice, int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (choice.cuda()) {
            options.addCUDA(choice.device());
        }
        return options;
    }
}
