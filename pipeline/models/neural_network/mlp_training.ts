/**
 * Trains an {@link Mlp} with tfjs (Adam on mean squared error plus an L2 penalty on the
 * weights), with seeded initialisation, shuffling and dropout masks so that a seed
 * reproduces a run, and early stopping that restores the best epoch's weights.
 *
 * @module
 */
import type { Scalar, Tensor } from "@tensorflow/tfjs";
import type { Matrix } from "../../core/matrix.ts";
import { permutation, type Random, seededRandom } from "../../core/random.ts";
import type { Activation, Mlp, TrainingHistory } from "./mlp.ts";
import { useWasmBackend } from "./tfjs_backend.ts";

/** How to shape and train the network. */
export interface MlpTrainingOptions {
  /** Units per hidden layer, input side first. */
  readonly hiddenLayers: readonly number[];
  /** Applied after every hidden layer. */
  readonly activation: Activation;
  /** Share of each hidden layer's units dropped at every training step. */
  readonly dropout: number;
  /** Penalty on the sum of squared weights (biases are not penalised). */
  readonly l2: number;
  /** Adam's step size. */
  readonly learningRate: number;
  /** Most passes over the training rows. */
  readonly epochs: number;
  /** Rows per gradient step. */
  readonly batchSize: number;
  /** Share of rows held out to choose the epoch; 0 trains on all rows for `epochs`. */
  readonly validationFraction: number;
  /** Epochs without a better validation loss before training stops. */
  readonly patience: number;
}

function glorotUniform(inputs: number, outputs: number, rng: Random) {
  const limit = Math.sqrt(6 / (inputs + outputs));
  const weights = Array.from({ length: inputs * outputs }, () => (2 * rng.next() - 1) * limit);
  return { inputs, outputs, weights, bias: new Array<number>(outputs).fill(0) };
}

/**
 * Fits an MLP with one linear output to `y` from `x` (both should already be
 * standardised). Uses the wasm backend and releases every tensor it creates.
 */
export async function trainMlp(
  x: Matrix,
  y: Float64Array,
  options: MlpTrainingOptions,
  seed: number,
): Promise<{ network: Mlp; history: TrainingHistory }> {
  const tf = await useWasmBackend();
  const rng = seededRandom(seed);
  const sizes = [x.cols, ...options.hiddenLayers, 1];
  const init = sizes.slice(1).map((outputs, k) => glorotUniform(sizes[k], outputs, rng));
  const order = permutation(x.rows, rng);
  const nValidation = Math.round(x.rows * options.validationFraction);
  if (options.validationFraction > 0 && (nValidation < 1 || nValidation >= x.rows)) {
    throw new RangeError(
      `validationFraction ${options.validationFraction} leaves no rows to train or validate on`,
    );
  }
  const rowsOf = (indices: Int32Array) => {
    const values = new Float32Array(indices.length * x.cols);
    indices.forEach((row, k) =>
      values.set(x.data.subarray(row * x.cols, (row + 1) * x.cols), k * x.cols)
    );
    return [
      tf.tensor2d(values, [indices.length, x.cols]),
      tf.tensor2d(Float32Array.from(indices, (row) => y[row]), [indices.length, 1]),
    ];
  };
  const [xTrain, yTrain] = rowsOf(order.subarray(nValidation));
  const [xValid, yValid] = rowsOf(order.subarray(0, nValidation));
  const nTrain = x.rows - nValidation;

  // tidy frees the initial-value tensors; variables survive it.
  const [weights, biases] = tf.tidy(() => [
    init.map((l) => tf.variable(tf.tensor2d(l.weights, [l.inputs, l.outputs]))),
    init.map((l) => tf.variable(tf.tensor1d(l.bias))),
  ]);
  const activate = (t: Tensor) => tf[options.activation](t);
  const forward = (input: Tensor, dropoutSeed?: () => number) => {
    let h = input;
    weights.forEach((w, k) => {
      h = tf.add(tf.matMul(h, w), biases[k]);
      if (k < weights.length - 1) {
        h = activate(h);
        if (dropoutSeed && options.dropout > 0) {
          h = tf.dropout(h, options.dropout, undefined, dropoutSeed());
        }
      }
    });
    return h;
  };
  const snapshot = () => [...weights, ...biases].map((v) => v.dataSync().slice());

  const optimizer = tf.train.adam(options.learningRate);
  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  let best = { loss: Infinity, epoch: 0, values: snapshot() };
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const shuffled = permutation(nTrain, rng);
    let lossSum = 0;
    for (let start = 0; start < nTrain; start += options.batchSize) {
      const batch = shuffled.subarray(start, Math.min(start + options.batchSize, nTrain));
      const cost = tf.tidy(() => {
        const index = tf.tensor1d(batch, "int32");
        const xb = tf.gather(xTrain, index);
        const yb = tf.gather(yTrain, index);
        return optimizer.minimize(
          () => {
            const mse = tf.losses.meanSquaredError(yb, forward(xb, () => rng.int(2 ** 31)));
            const penalty = tf.addN(weights.map((w) => tf.sum(tf.square(w))));
            return tf.add(mse, tf.mul(options.l2, penalty)) as Scalar;
          },
          true,
          [...weights, ...biases],
        )!;
      });
      lossSum += (await cost.data())[0] * batch.length;
      cost.dispose();
    }
    trainLoss.push(lossSum / nTrain);
    if (nValidation === 0) continue;
    const loss = tf.tidy(() => tf.losses.meanSquaredError(yValid, forward(xValid)).dataSync()[0]);
    validationLoss.push(loss);
    if (loss < best.loss) best = { loss, epoch, values: snapshot() };
    else if (epoch - best.epoch >= options.patience) break;
  }
  const epochs = trainLoss.length;
  const values = nValidation > 0 ? best.values : snapshot();
  tf.dispose([xTrain, yTrain, xValid, yValid, ...weights, ...biases]);
  optimizer.dispose();
  const layers = init.map((l, k) => ({
    inputs: l.inputs,
    outputs: l.outputs,
    weights: Array.from(values[k]),
    bias: Array.from(values[weights.length + k]),
  }));
  return {
    network: { activation: options.activation, layers },
    history: {
      epochs,
      bestEpoch: nValidation > 0 ? best.epoch : epochs,
      trainLoss,
      validationLoss,
    },
  };
}
