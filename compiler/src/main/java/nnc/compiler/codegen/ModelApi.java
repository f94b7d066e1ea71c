package nnc.compiler.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import javax.lang.model.element.Modifier;
import nnc.compiler.Compilation;
import nnc.compiler.ir.Graph;
import nnc.runtime.model.Serving;

/**
 * The typed API of a generated model class, beyond what {@link nnc.runtime.model.CompiledModel}
 * gives every model: static {@code load} factories that return the model's own type, and the
 * class Javadoc (how to call it, the input shape and preprocessing, the output, the classes,
 * thread safety, and the compiled structure).
 */
public final class ModelApi {
    private ModelApi() {
    }

    static CodeBlock classDoc(Compilation c, Serving serving) {
        Graph g = c.network().graph();
        String name = c.modelName();
        int outputs = g.type(g.output()).size();
        CodeBlock.Builder b = CodeBlock.builder()
                .add("$L, compiled from $L: $L.\n\n", name, Names.fileName(c.source().path()), kind(serving, outputs))
                .add("<pre>{@code\n")
                .add("  $L model = $L.load(Path.of($S));   // nnc train's weights, next to the .nn file\n", name,
                        name, "runs/" + name + "/latest/weights.nnw");
        if (serving.output().isClassifier()) {
            b.add("  Prediction p = model.classify(input);           // p.index(), p.probability(), p.top(3)\n");
        }
        b.add("  float[] y = model.predict(input);               // $L\n", outputText(serving))
                .add("}</pre>\n\n")
                .add("<p><b>Input</b>: one sample of shape $L ($L floats)$L, raw:\n$L.\n$L\n",
                        g.type(g.input()).shapeText(), g.type(g.input()).size(), serving.image() == null ? ""
                                : ",\nthe pixels of a " + serving.image() + " image (channels first, row by row)",
                        serving.description(),
                        serving.preprocesses() ? "The model applies that preprocessing itself, as in training.\n" : "")
                .add("<p><b>Output</b>: $L $L.\n\n", g.type(g.output()).shapeText(), outputText(serving));
        if (serving.output().isClassifier()) {
            b.add("<p><b>Classes</b>: $L.\n\n", classesText(serving, outputs, ",\n").replace("*/", "*&#47;"));
        }
        b.add("<p><b>Threads</b>: {@code predict}$L may be called from many threads at once;\n"
                + "each thread gets its own arena on first use, and a call allocates nothing but its result.\n"
                + "A wrong input length is an {@link IllegalArgumentException} naming the shape, and so is\n"
                + "a NaN or infinite input value. A closed or dropped model is not kept by the threads that used it.\n\n",
                serving.output().isClassifier() ? " and {@code classify}" : "")
                .add("<pre>\n")
                .add("input   $L\n", g.type(g.input()).shapeText())
                .add("output  $L\n", g.type(g.output()).shapeText())
                .add("params  $L ($L trainable)\n", String.format("%,d", c.params().total()),
                        String.format("%,d", c.params().trainable()));
        if (c.train() != null) {
            b.add("trained with $L, $L\n", c.train().loss().word(), c.train().optimizer().kind().name().toLowerCase());
            b.add("training plan   $L kernels, $L floats per sample\n", c.trainPlan().schedule().emitted().size(),
                    c.trainPlan().floatsPerSample());
        }
        b.add("inference plan  $L kernels, $L floats per sample\n", c.inferPlan().schedule().emitted().size(),
                c.inferPlan().floatsPerSample());
        b.add("N is the batch.\n</pre>\n");
        return b.build();
    }

    private static String kind(Serving s, int outputs) {
        return switch (s.output()) {
            case LOGITS, PROBABILITIES -> "a classifier of " + outputs + " classes";
            case BINARY -> outputs == 1 ? "a binary classifier" : outputs + " independent yes/no outputs";
            case VALUES -> outputs == 1 ? "one real-valued output" : outputs + " real-valued outputs";
        };
    }

    /**
     * "Output: ..." and, for a classifier, "Classes: ..." lines, as the generated class's Javadoc
     * says them: for a model jar's {@code info}.
     */
    public static String outputLines(Serving s, String shape, int outputs) {
        String lines = "Output: " + shape + " " + outputText(s) + "\n";
        return s.output().isClassifier()
                ? lines + "Classes: " + classesText(s, outputs, ", ") + "\n"
                : lines;
    }

    private static String outputText(Serving s) {
        return switch (s.output()) {
            case LOGITS -> "class probabilities (a softmax of the network's scores, applied once)";
            case PROBABILITIES -> "class probabilities (the network's own softmax)";
            case BINARY -> "probabilities (the network's own sigmoid)";
            case VALUES -> "the values, as the network computes them";
        };
    }

    /** The classes in words; every fifth label starts after {@code wrap} (a line break in Javadoc). */
    private static String classesText(Serving s, int outputs, String wrap) {
        if (s.output() == Serving.Output.BINARY && outputs == 1) {
            return "0 (probability below 0.5) and 1";
        }
        boolean numbered = true;
        for (int i = 0; i < s.classes().size(); i++) {
            numbered &= s.classes().get(i).equals(Integer.toString(i));
        }
        if (s.classes().isEmpty() || numbered) {
            return "numbered 0 to " + (outputs - 1);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.classes().size(); i++) {
            b.append(i == 0 ? "" : i % 5 == 0 ? wrap : ", ").append(i).append(' ').append(s.classes().get(i));
        }
        return b.toString();
    }

    /** {@code load(Path)} and {@code load(InputStream)}, returning the model's own type. */
    static void addLoaders(TypeSpec.Builder type, ClassName self) {
        type.addMethod(MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                .addJavadoc("The model with the weights in {@code file} (written by {@code nnc train} or {@link #save}).\n")
                .addParameter(Path.class, "file").addException(IOException.class)
                .addStatement("$T model = new $T()", self, self)
                .addStatement("model.loadWeights(file)")
                .addStatement("return model").build());
        type.addMethod(MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                .addJavadoc("The model with the weights read from {@code in} (a resource, say), which is read to "
                        + "its end and not closed.\n")
                .addParameter(InputStream.class, "in").addException(IOException.class)
                .addStatement("$T model = new $T()", self, self)
                .addStatement("model.loadWeights(in, $S)", self.simpleName() + " weights")
                .addStatement("return model").build());
    }

}
