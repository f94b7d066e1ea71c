package nnc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import java.util.Locale;
import nnc.compiler.Compilation;
import nnc.compiler.data.KnownDatasets;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.JavaLiterals;
import nnc.compiler.ir.NetworkOutput;
import nnc.compiler.pass.DataSpec;
import nnc.runtime.model.Serving;

/**
 * Derives a model's {@link Serving} (preprocessing of raw inputs, meaning of outputs) from its
 * data declaration and loss, and emits it as a Java expression for the generated {@code SPEC}.
 *
 * <ul>
 *   <li>Scale and shift: IDX and CIFAR pixels are bytes scaled by 1/255, CSV values are taken
 *       as they are; {@code normalize(mean, std)} then maps x to (x - mean) / std, per channel
 *       when it gives a value per channel. Both fold into {@code raw * scale[c] + shift[c]},
 *       computed in float exactly as
 *       {@link nnc.runtime.data.Dataset#normalized} computes it, so a raw input predicted
 *       through the model reaches the network with the bits training gave it.</li>
 *   <li>Image form: the input shape when it is {@code [C, H, W]} (C = 1 or 3) or {@code [H, W]};
 *       a flat input of a known image dataset takes the dataset's shape (MNIST: 28x28 grey);
 *       any other flat input of IDX pixels with a square size is a square grey image. CSV-trained
 *       models take no images.</li>
 *   <li>Output: a classifier's network ends in logits (predictions apply a softmax) or in its own
 *       softmax (applied there, once); binary cross-entropy models end in a sigmoid.</li>
 * </ul>
 */
public final class ServingSpec {
    private ServingSpec() {
    }

    public static Serving of(Compilation c) {
        Graph g = c.network().graph();
        int[] in = g.type(g.input()).dims();
        DataSpec data = c.data();
        boolean pixels = data != null && !(data.source() instanceof DataSpec.Csv);
        float base = pixels ? 1f / 255f : 1f;
        int channels = data != null && data.normalizes() ? Math.max(data.mean().length, data.std().length) : 1;
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        String text = data == null ? "none: values go to the network unchanged"
                : pixels ? "pixels 0-255 scaled to [0, 1]" : "values as they are in the CSV file";
        for (int ch = 0; ch < channels; ch++) {
            scale[ch] = base;
            if (data != null && data.normalizes()) {
                float m = data.mean()[data.mean().length == 1 ? 0 : ch];
                float sd = data.std()[data.std().length == 1 ? 0 : ch];
                scale[ch] = base / sd;
                shift[ch] = (0f - m) / sd;
            }
        }
        if (data != null && data.normalizes()) {
            text += ", then normalize(mean: " + values(data.mean()) + ", std: " + values(data.std()) + ")";
        }
        KnownDatasets.Info known = data == null ? null : KnownDatasets.lookup(datasetName(data.source()));
        Serving.Image image = data == null || pixels ? image(in, known, pixels) : null;
        int outputs = g.type(g.output()).size();
        List<String> classes = known != null && known.classes() == outputs ? known.labels() : List.of();
        return new Serving(scale, shift, image, NetworkOutput.of(g.node(g.output()), c.objective()), classes, text);
    }

    private static String values(float[] v) {
        if (v.length == 1) {
            return Float.toString(v[0]);
        }
        List<String> s = new java.util.ArrayList<>();
        for (float x : v) {
            s.add(Float.toString(x));
        }
        return "[" + String.join(", ", s) + "]";
    }

    private static String datasetName(DataSpec.Source s) {
        return switch (s) {
            case DataSpec.Idx idx -> idx.dataset();
            case DataSpec.Cifar cifar -> cifar.dataset();
            case DataSpec.Csv csv -> csv.path();
        };
    }

    private static Serving.Image image(int[] in, KnownDatasets.Info known, boolean pixels) {
        if (in.length == 3 && (in[0] == 1 || in[0] == 3)) {
            return new Serving.Image(in[0], in[1], in[2]);
        }
        if (in.length == 2) {
            return new Serving.Image(1, in[0], in[1]);
        }
        if (in.length != 1) {
            return null;
        }
        if (known != null && known.sampleSize() == in[0]) {
            int[] s = known.shape();
            return s.length == 3 ? new Serving.Image(s[0], s[1], s[2]) : new Serving.Image(1, s[0], s[1]);
        }
        int side = (int) Math.round(Math.sqrt(in[0]));
        return pixels && side * side == in[0] && side > 1 ? new Serving.Image(1, side, side) : null;
    }

    /** {@code new Serving(...)} with exact float literals. */
    static CodeBlock code(Serving s) {
        CodeBlock image = s.image() == null ? CodeBlock.of("null")
                : CodeBlock.of("new $T.Image($L, $L, $L)", Serving.class, s.image().channels(), s.image().height(),
                        s.image().width());
        CodeBlock classes = CodeBlock.of("$T.of($L)", List.class, String.join(", ",
                s.classes().stream().map(l -> CodeBlock.of("$S", l).toString()).toList()));
        return CodeBlock.of("new $T($L, $L, $L, $T.Output.$L, $L,\n        $S)", Serving.class, floats(s.scale()),
                floats(s.shift()), image, Serving.class, s.output().name(), classes, s.description());
    }

    private static String floats(float[] v) {
        List<String> s = new java.util.ArrayList<>();
        for (float x : v) {
            s.add(floatLiteral(x));
        }
        return "new float[] {" + String.join(", ", s) + "}";
    }

    /** A literal that reads back as the same float (a constant such as Float.NaN when there is none). */
    static String floatLiteral(float f) {
        return Float.isFinite(f) ? Float.toString(f).toLowerCase(Locale.ROOT) + "f" : JavaLiterals.floatLiteral(f);
    }
}
