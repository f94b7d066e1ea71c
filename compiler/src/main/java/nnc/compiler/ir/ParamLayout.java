package nnc.compiler.ir;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each parameter tensor sits in the model's flat parameter array: trainable tensors
 * first (so the optimizer runs over one prefix, and gradients share the same offsets), then
 * state such as batch-norm running statistics. Keyed by tensor name, so the training and
 * inference graphs agree.
 */
public record ParamLayout(Map<String, Integer> offsets, List<ParamAttrs> tensors, int trainable, int total) {

    public static ParamLayout of(Graph network) {
        Map<String, Integer> offsets = new LinkedHashMap<>();
        List<ParamAttrs> params = network.params().stream().map(n -> (ParamAttrs) n.attrs()).toList();
        List<ParamAttrs> ordered = new java.util.ArrayList<>();
        params.stream().filter(ParamAttrs::trainable).forEach(ordered::add);
        params.stream().filter(p -> !p.trainable()).forEach(ordered::add);
        int at = 0;
        int trainable = 0;
        for (ParamAttrs p : ordered) {
            offsets.put(p.name(), at);
            at += p.type().size();
            if (p.trainable()) {
                trainable = at;
            }
        }
        return new ParamLayout(offsets, ordered, trainable, at);
    }

    public int offset(String name) {
        Integer o = offsets.get(name);
        if (o == null) {
            throw new IllegalStateException("internal error: no parameter " + name);
        }
        return o;
    }
}
