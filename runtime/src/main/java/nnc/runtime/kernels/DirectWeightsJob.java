package nnc.runtime.kernels;

import java.util.Arrays;
import nnc.runtime.exec.Exec;
import nnc.runtime.exec.Task;
import nnc.runtime.exec.TaskSlot;

/**
 * The reusable task behind the direct weight gradient of {@link SpatialKernels}: one piece of
 * the batch per thread, each summed by the backend's {@link DirectConv#backwardWeights} into its
 * own partial (weights and bias), then the partials added in piece order.
 *
 * <pre>
 *   piece q of [0, N): dw_q[O, C, KH, KW], db_q[O] = the gradients of its samples
 *   dw = dw_0 + dw_1 + ...   db = db_0 + db_1 + ...     (in that order)
 * </pre>
 *
 * The pieces are fixed by the batch size and the thread count, as for the other weight
 * gradients ({@link SpatialJob}, {@link WinogradJob}), so the result is the same on every run
 * with that many threads. The partials are kept between calls: a step allocates nothing.
 */
final class DirectWeightsJob implements Task {
    static final TaskSlot<Backend, DirectWeightsJob> SLOT = new TaskSlot<>(DirectWeightsJob::new);

    private final Exec ex;
    private final DirectConv direct;
    private ConvGeom g;
    private int n;
    private int per;
    private float[] dy;
    private int dyOff;
    private float[] x;
    private int xOff;
    private float[][] partials = new float[0][];
    private float[][] dbs = new float[0][];

    private DirectWeightsJob(Exec ex, Backend backend) {
        this.ex = ex;
        this.direct = backend.direct();
    }

    @Override
    public void run(int index, int worker) {
        int b0 = index * per;
        int b1 = Math.min(n, b0 + per);
        Arrays.fill(partials[index], 0, g.weightSize(), 0f);
        Arrays.fill(dbs[index], 0, g.o(), 0f);
        direct.backwardWeights(ex.workspace(worker), g, b0, b1, dy, dyOff, x, xOff, partials[index], dbs[index]);
    }

    /** {@code dw = } the weight gradient summed over the batch, and {@code db} (when not null) the bias gradient. */
    void weights(ConvGeom g, int n, float[] dy, int dyOff, float[] x, int xOff, float[] dw, int dwOff, float[] db,
                 int dbOff) {
        this.g = g;
        this.n = n;
        this.dy = dy;
        this.dyOff = dyOff;
        this.x = x;
        this.xOff = xOff;
        per = (n + Math.min(n, ex.threads()) - 1) / Math.min(n, ex.threads());
        int pieces = (n + per - 1) / per;
        reserve(pieces, g.weightSize(), g.o());
        ex.run(pieces, this);
        addInOrder(partials, pieces, g.weightSize(), dw, dwOff);
        if (db != null) {
            addInOrder(dbs, pieces, g.o(), db, dbOff);
        }
        this.dy = this.x = null;
    }

    /** Partials for {@code pieces} pieces of {@code weights} weights and {@code channels} biases. */
    private void reserve(int pieces, int weights, int channels) {
        if (partials.length < pieces) {
            partials = Arrays.copyOf(partials, pieces);
            dbs = Arrays.copyOf(dbs, pieces);
        }
        for (int i = 0; i < pieces; i++) {
            if (partials[i] == null || partials[i].length < weights) {
                partials[i] = new float[weights];
            }
            if (dbs[i] == null || dbs[i].length < channels) {
                dbs[i] = new float[channels];
            }
        }
    }

    /** {@code out[off + i] = parts[0][i] + parts[1][i] + ...} for i in [0, size). */
    private static void addInOrder(float[][] parts, int pieces, int size, float[] out, int off) {
        for (int i = 0; i < size; i++) {
            float s = 0;
            for (int q = 0; q < pieces; q++) {
                s += parts[q][i];
            }
            out[off + i] = s;
        }
    }
}
