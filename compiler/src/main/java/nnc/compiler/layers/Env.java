package nnc.compiler.layers;

import java.util.LinkedHashMap;
import java.util.Map;

/** The values of model or block parameters in scope while a network body is resolved. */
public record Env(Map<String, Val> params) {
    public static final Env EMPTY = new Env(Map.of());

    public Env {
        params = new LinkedHashMap<>(params);
    }

    public Val lookup(String name) {
        return params.get(name);
    }
}
