// Checks core's WGSL kernels against TensorFlow.js's reference CPU backend (plain JavaScript, hence the small
// shapes: the CNN's own layer shapes at batch 16). Needs an active webgpu backend; run
// by kernels.webgpu.test.ts and by scripts/gpu-check.sh (through the bundled gpu-check script).
import * as tf from "@tensorflow/tfjs-core";
import "../../register-gradients.ts";
import { SeededRandom } from "../../../data/random.ts";
import type { Parameter } from "../../../models/parameters.ts";
import { createAdamW } from "../../../optim/adamw.ts";
import { FUSED_ADAMW_KERNEL, hasFusedKernel } from "../../../optim/fused.ts";
import { createSgd } from "../../../optim/sgd.ts";
import { AdamWSpecSchema, SgdSpecSchema } from "../../../optim/spec.ts";
import { webGpuKernelsInstalled } from "./install.ts";

export interface KernelCheck {
  name: string;
  /** max |webgpu - reference| / max |reference| over the output. */
  relativeError: number;
  /** Whether core's kernel (not the stock one) ran on webgpu. */
  custom: boolean;
}

function randomValues(size: number, seed: number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: size }, () => random.uniform(-1, 1));
}

function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    difference = Math.max(difference, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return Number.isFinite(difference) ? difference / Math.max(scale, 1e-30) : Number.POSITIVE_INFINITY;
}

/** Runs `compute` on the reference CPU backend and on webgpu, from the same host inputs. */
async function compare(name: string, custom: boolean, compute: () => tf.Tensor): Promise<KernelCheck> {
  await tf.setBackend("cpu");
  const expected = tf.tidy(compute);
  const reference = (await expected.data()) as Float32Array;
  expected.dispose();
  await tf.setBackend("webgpu");
  const result = tf.tidy(compute);
  const actual = (await result.data()) as Float32Array;
  result.dispose();
  return { name, relativeError: relativeError(actual, reference), custom };
}

function conv2dFilterGradient(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  stride: number,
  pad: "valid" | "same",
) {
  return () => {
    const x = tf.tensor4d(
      randomValues(
        xShape.reduce((a, b) => a * b),
        1,
      ),
      xShape,
    );
    const { outShape } = tf.backend_util.computeConv2DInfo(xShape, filterShape, stride, 1, pad);
    const dy = tf.tensor(
      randomValues(
        outShape.reduce((a, b) => a * b),
        2,
      ),
      outShape,
    );
    return tf
      .engine()
      .runKernel(
        "Conv2DBackpropFilter",
        { x, dy },
        { strides: [stride, stride], pad, dataFormat: "NHWC", filterShape },
      ) as tf.Tensor;
  };
}

function maxPoolGradient(shape: [number, number, number, number], size: number, stride: number) {
  return () => {
    const input = tf.tensor4d(
      randomValues(
        shape.reduce((a, b) => a * b),
        3,
      ),
      shape,
    );
    const output = tf.maxPool(input, size, stride, "valid");
    const dy = tf.tensor(randomValues(output.size, 4), output.shape);
    return tf
      .engine()
      .runKernel(
        "MaxPoolGrad",
        { dy, input, output },
        { filterSize: [size, size], strides: [stride, stride], pad: "valid" },
      ) as tf.Tensor;
  };
}

/** Three updates of a stacked [2, 64, 48] weight with per-trial rates, through core's optimizer. */
function optimizerSteps(kind: "adamw" | "sgd") {
  return () => {
    const shape = [2, 64, 48];
    const size = shape.reduce((a, b) => a * b);
    const parameter: Parameter = {
      name: "w",
      variable: tf.variable(
        tf.tensor(randomValues(size, 5), shape),
        true,
        `check-${kind}-${tf.getBackend()}`,
      ),
      isBiasLike: false,
    };
    const optimizer =
      kind === "adamw"
        ? createAdamW([parameter], AdamWSpecSchema.parse({ kind, weightDecay: 0.1 }))
        : createSgd(
            [parameter],
            SgdSpecSchema.parse({ kind, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
          );
    for (let step = 0; step < 3; step++) {
      const grads = { [parameter.variable.name]: tf.tensor(randomValues(size, 10 + step), shape) };
      optimizer.applyGradients(grads, { learningRates: [1e-3, 3e-2], weightDecays: [0.1, 0] });
      tf.dispose(Object.values(grads));
    }
    const result = parameter.variable.clone();
    optimizer.dispose();
    parameter.variable.dispose();
    return result;
  };
}

/** Every check, in order; the webgpu backend must be active (prepareBackend({ backend: "webgpu" })). */
export async function checkWebGpuKernels(): Promise<KernelCheck[]> {
  const custom = webGpuKernelsInstalled();
  const fused = hasFusedKernel(FUSED_ADAMW_KERNEL);
  return [
    await compare(
      "Conv2DBackpropFilter b16 26x26x32 -> 3x3x32x64 valid",
      custom,
      conv2dFilterGradient([16, 26, 26, 32], [3, 3, 32, 64], 1, "valid"),
    ),
    await compare(
      "Conv2DBackpropFilter b16 28x28x1 -> 3x3x1x32 valid",
      custom,
      conv2dFilterGradient([16, 28, 28, 1], [3, 3, 1, 32], 1, "valid"),
    ),
    await compare(
      "Conv2DBackpropFilter b8 15x15x8 -> 3x3x8x16 same stride 2",
      custom,
      conv2dFilterGradient([8, 15, 15, 8], [3, 3, 8, 16], 2, "same"),
    ),
    await compare("MaxPoolGrad b16 24x24x64 2x2/2", custom, maxPoolGradient([16, 24, 24, 64], 2, 2)),
    await compare("MaxPoolGrad b4 9x9x8 3x3/2 (overlapping)", custom, maxPoolGradient([4, 9, 9, 8], 3, 2)),
    await compare("AdamW fused, 2 trials x 3 steps", fused, optimizerSteps("adamw")),
    await compare("SGD Nesterov fused, 2 trials x 3 steps", fused, optimizerSteps("sgd")),
  ];
}
