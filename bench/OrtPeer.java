import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * ONNX Runtime Java as a peer of bench/compare_infer.py (the same protocol as
 * "nnc bench infer --serve": "run BATCH THREADS RUNS" answers the median seconds per call,
 * "output BATCH" the outputs, "quit").
 *
 *   java -cp onnxruntime-1.20.0.jar bench/OrtPeer.java MODEL.onnx call|run 1,28,28 [IMAGES.idx]
 *
 * "call" times what an application does per call: a tensor from its float[], run, the
 * output copied to float[][], both closed. "run" times session.run alone on a tensor made
 * once. Inputs: row r is image r mod count of the IDX file IMAGES, or without one
 * x[i] = (37 i + 11) mod 256, as in nnc's side.
 */
public class OrtPeer {
    public static void main(String[] args) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String model = args[0];
        boolean perCall = args[1].equals("call");
        long[] shape = Arrays.stream(args[2].split(",")).mapToLong(Long::parseLong).toArray();
        int size = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] pool = args.length > 3 ? images(args[3]) : null;
        Map<Integer, OrtSession> sessions = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            try {
                if (w[0].equals("quit")) {
                    break;
                }
                int batch = Integer.parseInt(w[1]);
                int threads = w[0].equals("run") ? Integer.parseInt(w[2]) : 1;
                OrtSession s = sessions.computeIfAbsent(threads, t -> open(env, model, t));
                float[] x = new float[batch * size];
                for (int i = 0; i < x.length; i++) {
                    x[i] = pool == null ? (37L * i + 11) % 256 : pool[i % pool.length];
                }
                long[] dims = new long[shape.length + 1];
                dims[0] = batch;
                System.arraycopy(shape, 0, dims, 1, shape.length);
                if (w[0].equals("output")) {
                    float[][] y = call(env, s, x, dims);
                    StringBuilder b = new StringBuilder();
                    for (float[] row : y) {
                        for (float v : row) {
                            b.append(v).append(' ');
                        }
                    }
                    System.out.println(b.toString().strip());
                } else {
                    int runs = Integer.parseInt(w[3]);
                    FloatBuffer direct = ByteBuffer.allocateDirect(x.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    direct.put(x).rewind();
                    try (OnnxTensor fixed = OnnxTensor.createTensor(env, direct, dims)) {
                        long[] t = new long[runs];
                        for (int r = 0; r < runs; r++) {
                            long t0 = System.nanoTime();
                            if (perCall) {
                                call(env, s, x, dims);
                            } else {
                                try (OrtSession.Result res = s.run(Map.of("x", fixed))) {
                                    res.get(0);
                                }
                            }
                            t[r] = System.nanoTime() - t0;
                        }
                        Arrays.sort(t);
                        System.out.println(t[runs / 2] / 1e9);
                    }
                }
            } catch (Exception e) {
                System.out.println("error " + e);
            }
            System.out.flush();
        }
        for (OrtSession s : sessions.values()) {
            s.close();
        }
    }

    /** The first 1000 items of an uncompressed IDX file of unsigned bytes, as floats. */
    static float[] images(String path) throws java.io.IOException {
        ByteBuffer b = ByteBuffer.wrap(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(path)));
        int rank = b.getInt() & 0xff;
        int count = b.getInt();
        int size = 1;
        for (int d = 1; d < rank; d++) {
            size *= b.getInt();
        }
        float[] x = new float[Math.min(count, 1000) * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = b.get() & 0xff;
        }
        return x;
    }

    static float[][] call(OrtEnvironment env, OrtSession s, float[] x, long[] dims) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), dims);
             OrtSession.Result r = s.run(Map.of("x", t))) {
            return (float[][]) r.get(0).getValue();
        }
    }

    static OrtSession open(OrtEnvironment env, String model, int threads) {
        try {
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(model, o);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
