package nnc.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import nnc.runtime.exec.Exec;
import nnc.runtime.model.CompiledModel;
import nnc.runtime.model.Training;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * The executor side of one synchronous step: the partition takes the samples of the step's
 * global batch that it holds, in the batch's order, and runs the generated training code's
 * forward, loss and backward on them with the step's parameters ({@link Training#computeGradients}).
 * It returns their gradient (the mean over its rows) with the row count, so the driver can
 * weigh it into the batch's mean. The training sides are pooled per executor JVM: one per
 * concurrently running task, reused across steps, each with its own model instance.
 */
final class GradientStep implements FlatMapFunction<Iterator<Shard>, GradientStep.Partial>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, ConcurrentLinkedQueue<Training>> POOL = new ConcurrentHashMap<>();

    /** What the driver broadcasts each step. */
    record Input(long step, float[] params, long[] batch) implements Serializable {
    }

    /** One partition's share of a step: its rows, their mean gradient, summed loss and right answers. */
    record Partial(int partition, int rows, float[] grads, double loss, double correct, long nanos)
            implements Serializable {
    }

    private final ModelShip ship;
    private final Broadcast<Input> input;
    private final int batch;
    private final long seed;
    private final long[] failOnce;

    GradientStep(ModelShip ship, Broadcast<Input> input, int batch, long seed, long[] failOnce) {
        this.ship = ship;
        this.input = input;
        this.batch = batch;
        this.seed = seed;
        this.failOnce = failOnce;
    }

    @Override
    public Iterator<Partial> call(Iterator<Shard> shards) {
        if (!shards.hasNext()) {
            return List.<Partial>of().iterator();
        }
        Shard shard = shards.next();
        Input in = input.value();
        TaskContext task = TaskContext.get();
        if (failOnce != null && in.step() == failOnce[0] && shard.partition == failOnce[1]
                && task != null && task.attemptNumber() == 0) {
            throw new IllegalStateException("injected fault: step " + in.step() + ", partition " + shard.partition);
        }
        long t0 = System.nanoTime();
        String key = ship.key() + "/" + batch + "/" + seed;
        ConcurrentLinkedQueue<Training> pool = POOL.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
        Training training = pool.poll();
        if (training == null) {
            CompiledModel model = ship.newModel();
            training = model.newTraining(Exec.sequential(), batch, seed, 0f);
        }
        try {
            float[] arena = training.arena();
            int rows = 0;
            long[] batch = in.batch();
            int[] positions = new int[batch.length];
            for (int q = 0; q < batch.length; q++) {
                int r = shard.rowOf(batch[q]);
                if (r >= 0) {
                    positions[rows] = q;
                    System.arraycopy(shard.inputs, r * shard.inputSize, arena,
                            training.inputOffset() + rows * shard.inputSize, shard.inputSize);
                    System.arraycopy(shard.targets, r * shard.targetSize, arena,
                            training.targetOffset() + rows * shard.targetSize, shard.targetSize);
                    rows++;
                }
            }
            if (rows == 0) {
                return List.of(new Partial(shard.partition, 0, null, 0, 0, System.nanoTime() - t0)).iterator();
            }
            float[] params = paramsOf(training);
            System.arraycopy(in.params(), 0, params, 0, params.length);
            float loss = training.computeGradients(rows, in.step(), positions);
            return List.of(new Partial(shard.partition, rows, training.gradients().clone(), loss,
                    training.lastCorrect(), System.nanoTime() - t0)).iterator();
        } finally {
            pool.add(training);
        }
    }

    /** The parameters the training side reads: its model's array. */
    private static float[] paramsOf(Training training) {
        return training.stateArrays()[0];
    }
}
