package nnc.runtime.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.runtime.model.ModelSpec;
import nnc.runtime.model.Training;
import nnc.runtime.train.Checkpoint;
import nnc.runtime.train.EpochResult;

/**
 * The checkpoint file ({@code .nnck}); docs/formats.md has the layout. Big-endian:
 *
 * <pre>
 *   "NNCK"  u32 version=1  u64 fingerprint  str model
 *   u32 epoch  u32 position  u64 steps  f32 lr  u64 shuffle  u64 augment
 *   f64 lossSum  f64 correct  f64 seconds  f64 stopBest  u32 stopBad  u32 bestEpoch
 *   f64s schedule  u32s order  u32 n  n x history row
 *   f32s params  f32s state1  f32s state2  f32s best (length 0: none)
 *   u32 crc32 of every byte before it
 *   (str = u16 length + UTF-8; f32s, f64s, u32s = u32 length + values;
 *    history row = u32 epoch, f64 seconds, f64 train_loss, f64 train_accuracy, f64 val_loss,
 *                  f64 val_accuracy, f32 lr, u64 samples)
 * </pre>
 *
 * Written through {@link AtomicFile}: the previous checkpoint stays whole until the new one is
 * complete on disk. Reading refuses a damaged file and, where a model is given, another
 * model's checkpoint.
 */
public final class CheckpointFile {
    static final int MAGIC = 0x4E4E434B; // "NNCK"
    private static final int VERSION = 1;

    private CheckpointFile() {
    }

    public static void write(Path file, Checkpoint c) throws IOException {
        Training.State t = c.training();
        Checkpoint.Loop l = c.loop();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(
                16 * (t.params().length + t.state1().length + t.state2().length + l.order().length) + 4096);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(c.fingerprint());
        byte[] name = c.model().getBytes(StandardCharsets.UTF_8);
        out.writeShort(name.length);
        out.write(name);
        out.writeInt(l.epoch());
        out.writeInt(l.position());
        out.writeLong(t.steps());
        out.writeFloat(t.lr());
        out.writeLong(l.shuffleState());
        out.writeLong(l.augmentState());
        out.writeDouble(l.lossSum());
        out.writeDouble(l.correct());
        out.writeDouble(l.seconds());
        out.writeDouble(l.stopBest());
        out.writeInt(l.stopBad());
        out.writeInt(l.bestEpoch());
        out.writeInt(l.schedule().length);
        for (double v : l.schedule()) {
            out.writeDouble(v);
        }
        ByteBuffer order = ByteBuffer.allocate(4 * l.order().length);
        order.asIntBuffer().put(l.order());
        out.writeInt(l.order().length);
        out.write(order.array());
        out.writeInt(c.history().size());
        for (EpochResult r : c.history()) {
            out.writeInt(r.epoch());
            out.writeDouble(r.seconds());
            out.writeDouble(r.trainLoss());
            out.writeDouble(r.trainAccuracy());
            out.writeDouble(r.valLoss());
            out.writeDouble(r.valAccuracy());
            out.writeFloat(r.learningRate());
            out.writeLong(r.samples());
        }
        for (float[] a : new float[][] {t.params(), t.state1(), t.state2(),
            c.bestParams() == null ? new float[0] : c.bestParams()}) {
            ByteBuffer b = ByteBuffer.allocate(4 * a.length);
            b.asFloatBuffer().put(a);
            out.writeInt(a.length);
            out.write(b.array());
        }
        WeightsFile.writeVerified(file, bytes, out);
    }

    /** Reads a checkpoint; {@code spec} (may be null) must be the model it was taken of. */
    public static Checkpoint read(Path file, ModelSpec spec) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(WeightsFile.readVerified(file, MAGIC, VERSION, "checkpoint"));
        in.position(8);
        try {
            return parse(file, in, spec);
        } catch (BufferUnderflowException | NegativeArraySizeException | IllegalArgumentException e) {
            throw new WeightsFile.FormatException(file + ": byte " + in.position() + ": the checkpoint's content is "
                    + "inconsistent (a field runs past the end, or a count is out of range)");
        }
    }

    private static Checkpoint parse(Path file, ByteBuffer in, ModelSpec spec) throws IOException {
        long fingerprint = in.getLong();
        byte[] name = new byte[in.getShort() & 0xFFFF];
        in.get(name);
        String model = new String(name, StandardCharsets.UTF_8);
        if (spec != null && fingerprint != spec.fingerprint()) {
            throw new WeightsFile.FormatException(file + ": this is a checkpoint of " + (model.equals(spec.name())
                    ? "another version of " + model + " (its tensors differ)" : "model " + model) + ", not of "
                    + spec.name());
        }
        int epoch = in.getInt();
        int position = in.getInt();
        long steps = in.getLong();
        float lr = in.getFloat();
        long shuffle = in.getLong();
        long augment = in.getLong();
        double lossSum = in.getDouble();
        double correct = in.getDouble();
        double seconds = in.getDouble();
        double stopBest = in.getDouble();
        int stopBad = in.getInt();
        int bestEpoch = in.getInt();
        double[] schedule = new double[length(in, 8)];
        in.asDoubleBuffer().get(schedule);
        in.position(in.position() + 8 * schedule.length);
        int[] order = new int[length(in, 4)];
        in.asIntBuffer().get(order);
        in.position(in.position() + 4 * order.length);
        int epochs = length(in, 56);
        List<EpochResult> history = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
            history.add(new EpochResult(in.getInt(), in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble(),
                    in.getDouble(), in.getFloat(), in.getLong()));
        }
        float[] params = floats(in);
        float[] state1 = floats(in);
        float[] state2 = floats(in);
        float[] best = floats(in);
        if (in.remaining() != 4 || spec != null && params.length != spec.paramCount()) {
            throw new IllegalArgumentException("sizes");
        }
        return new Checkpoint(model, fingerprint, new Training.State(params, state1, state2, steps, lr),
                new Checkpoint.Loop(epoch, position, order, shuffle, augment, lossSum, correct, seconds, schedule,
                        stopBest, stopBad, bestEpoch), best.length == 0 ? null : best, history);
    }

    /** A count read from the file, of items of {@code bytes} each: never more than the bytes left hold. */
    private static int length(ByteBuffer in, int bytes) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining() / bytes) {
            in.position(in.position() - 4); // the message names the count's place
            throw new IllegalArgumentException("a count larger than the file");
        }
        return n;
    }

    private static float[] floats(ByteBuffer in) {
        float[] a = new float[length(in, 4)];
        in.asFloatBuffer().get(a);
        in.position(in.position() + 4 * a.length);
        return a;
    }
}
