package nnc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import nnc.compiler.ir.JavaLiterals;
import nnc.runtime.model.Init;

/**
 * Fixed weights written in a .nn file, as generated code. A few are written out as a float
 * array, as a person would ({@code Init.values(params, W, new float[] {0.3f, -0.5f})}); but
 * every distinct float is a constant-pool entry (at most 65,535 per class) and about seven
 * bytes of code (at most 64 KiB per method), so a 1000 x 600 matrix goes to
 * {@link Init#encoded} as Base64 strings instead: one constant per 48,000 values.
 */
final class LiteralValues {
    /** A tensor with at most this many values is written out. */
    static final int INLINE_TENSOR = 64;
    /** At most this many values are written out per class, whatever the tensors. */
    static final int INLINE_TOTAL = 1_024;
    /** Floats per Base64 string: 4 bytes each, 64,000 characters, under the 65,535-byte constant limit. */
    static final int CHUNK = 12_000;

    private int inlined;

    /** The statement that sets {@code values} at the offset constant {@code offset}, and its estimated bytecode. */
    MethodSplitter.Unit statement(String offset, float[] values) {
        if (values.length <= INLINE_TENSOR && inlined + values.length <= INLINE_TOTAL) {
            inlined += values.length;
            List<String> items = new ArrayList<>();
            for (float f : values) {
                items.add(JavaLiterals.floatLiteral(f));
            }
            return new MethodSplitter.Unit(CodeBlock.builder().addStatement("$T.values(params, $N, new float[] {$L})",
                    Init.class, offset, String.join(", ", items)).build(), 30 + 8 * values.length);
        }
        List<CodeBlock> chunks = new ArrayList<>();
        for (int from = 0; from < values.length; from += CHUNK) {
            int to = Math.min(values.length, from + CHUNK);
            ByteBuffer bytes = ByteBuffer.allocate(4 * (to - from));
            bytes.asFloatBuffer().put(values, from, to - from);
            chunks.add(CodeBlock.of("$S", Base64.getEncoder().encodeToString(bytes.array())));
        }
        return new MethodSplitter.Unit(CodeBlock.builder().addStatement("$T.encoded(params, $N, $L)", Init.class, offset,
                CodeBlock.join(chunks, ",\n")).build(), 30 + 8 * chunks.size());
    }
}
