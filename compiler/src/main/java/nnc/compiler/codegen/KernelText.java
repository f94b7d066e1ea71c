package nnc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import nnc.compiler.diag.SourceFile;
import nnc.compiler.ir.Graph;
import nnc.compiler.ir.KernelSchedule.Kernel;
import nnc.compiler.ir.Node;

/** What a generated kernel call says about itself: its profile name and its source comment. */
final class KernelText {
    private KernelText() {
    }

    /**
     * {@code mnist_mlp.nn:5:10 matmul + bias_add + relu + dropout}, for profiles; a layer inside
     * a block also names its instance path, as the summary does
     * ({@code fashion_cnn_bn.nn:5:10 ConvBn_2/conv2d_2 conv2d (...)}).
     */
    static String describe(Graph graph, SourceFile source, Kernel k) {
        Node first = graph.node(k.first());
        String where = first.origin().span().isKnown()
                ? Names.fileName(source.path()) + ":" + source.lineColumn(first.origin().span()) : "";
        String layer = first.origin().layer();
        if (layer != null && layer.contains("/")) {
            where = where + " " + layer;
        }
        // each member, then the values other nodes leave to it (a bias gradient in conv2d_dw)
        String ops = k.members().stream().flatMap(x -> Stream.concat(Stream.of(graph.node(x)),
                        graph.nodes().stream().filter(n -> n.op().computedBy(graph, n) == x)))
                .map(n -> n.op().profileName(n)).collect(Collectors.joining(" + "));
        return (first.origin().isBackward() ? "backward " : "") + where + " " + ops;
    }

    static CodeBlock comment(Graph graph, SourceFile source, Kernel k) {
        List<Integer> members = k.members();
        List<String> calls = new ArrayList<>();
        nnc.compiler.diag.Span last = null;
        for (int m : members) {
            nnc.compiler.diag.Span s = graph.node(m).origin().span();
            if (!s.equals(last) && s.isKnown()) {
                calls.add(Names.comment(source.text().substring(s.start(), Math.min(s.end(), source.text().length()))
                        .replaceAll("\\s+", " ")));
                last = s;
            }
        }
        Node first = graph.node(k.first());
        String where = first.origin().span().isKnown()
                ? Names.fileName(source.path()) + ":" + source.lineColumn(first.origin().span()) : "";
        String ops = members.stream().map(m -> graph.node(m).op().name()).collect(Collectors.joining(" + "));
        List<String> inputs = new ArrayList<>();
        for (int in : readsOf(graph, k)) {
            inputs.add(graph.type(in).toString());
        }
        return CodeBlock.builder()
                .add("// $L$L  $L\n", first.origin().isBackward() ? "backward of " : "", where, String.join(" -> ", calls))
                .add("// $L: $L -> $L\n", ops, String.join(", ", inputs), graph.type(k.output()))
                .build();
    }

    private static List<Integer> readsOf(Graph graph, Kernel k) {
        List<Integer> reads = new ArrayList<>();
        if (k.anchor() >= 0) {
            for (int in : graph.node(k.anchor()).inputs()) {
                if (!graph.isParam(in)) {
                    reads.add(in);
                }
            }
        } else {
            reads.add(k.source());
        }
        return reads;
    }
}
