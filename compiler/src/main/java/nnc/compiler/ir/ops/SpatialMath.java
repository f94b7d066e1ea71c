package nnc.compiler.ir.ops;

import nnc.runtime.kernels.ConvGeom;
import nnc.runtime.kernels.PoolGeom;

/** Convolution, pooling and batch norm in double precision: the reference semantics. */
final class SpatialMath {
    private SpatialMath() {
    }

    /** Calls {@code f(xIndex, yIndex, weightIndex)} for every term of every output of sample b. */
    interface ConvTerm {
        void accept(int xi, int yi, int wi);
    }

    static void forEachTerm(ConvGeom g, int b, ConvTerm f) {
        for (int o = 0; o < g.o(); o++) {
            for (int i = 0; i < g.oh(); i++) {
                for (int j = 0; j < g.ow(); j++) {
                    int yi = b * g.outSize() + (o * g.oh() + i) * g.ow() + j;
                    for (int c = 0; c < g.c(); c++) {
                        for (int u = 0; u < g.kh(); u++) {
                            int r = i * g.sh() - g.pt() + u;
                            if (r < 0 || r >= g.h()) {
                                continue;
                            }
                            for (int v = 0; v < g.kw(); v++) {
                                int q = j * g.sw() - g.pl() + v;
                                if (q >= 0 && q < g.w()) {
                                    f.accept(b * g.inSize() + (c * g.h() + r) * g.w() + q, yi,
                                            ((o * g.c() + c) * g.kh() + u) * g.kw() + v);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Calls {@code f(xIndex, yIndex)} for every input position in every pooling window of sample b. */
    interface PoolTerm {
        void accept(int xi, int yi, int window);
    }

    static void forEachWindow(PoolGeom g, int b, PoolTerm f) {
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.oh(); i++) {
                for (int j = 0; j < g.ow(); j++) {
                    int yi = b * g.outSize() + (c * g.oh() + i) * g.ow() + j;
                    for (int u = 0; u < g.kh(); u++) {
                        int r = i * g.sh() - g.pt() + u;
                        for (int v = 0; v < g.kw(); v++) {
                            int q = j * g.sw() - g.pl() + v;
                            boolean inside = r >= 0 && r < g.h() && q >= 0 && q < g.w();
                            f.accept(inside ? b * g.inSize() + (c * g.h() + r) * g.w() + q : -1, yi, u * g.kw() + v);
                        }
                    }
                }
            }
        }
    }

    /** Per-channel mean and biased variance over samples and positions of {@code x [N, C, inner]}. */
    static double[][] channelStats(double[] x, int rows, int channels, int inner) {
        double[] mean = new double[channels];
        double[] var = new double[channels];
        double count = (double) rows * inner;
        for (int i = 0; i < x.length; i++) {
            mean[(i / inner) % channels] += x[i] / count;
        }
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - mean[(i / inner) % channels];
            var[(i / inner) % channels] += d * d / count;
        }
        return new double[][] {mean, var};
    }
}
