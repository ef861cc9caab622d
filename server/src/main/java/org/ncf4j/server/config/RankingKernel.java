package org.ncf4j.server.config;

import java.util.Locale;

/**
 * What ranks the catalogue for Recommend: the bundle's ranking graph in ONNX Runtime, or the fused kernel
 * ({@code kernel.FusedRanker}), the same function in Java with its layers fused per tile of items. A setting, and
 * what a served model reports it ranks and scores with.
 */
public enum RankingKernel {
    /** The fused kernel on the CPU provider when it agrees with the graph and is the faster of the two. */
    AUTO,
    /** Always the ranking graph in ONNX Runtime. */
    ONNX,
    /** The fused kernel whenever it agrees with the graph, whatever the provider and the timings. */
    FUSED;

    /** Parses a setting's value (auto, onnx or fused, any case). */
    public static RankingKernel parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("'" + value + "', expected auto, onnx or fused");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
