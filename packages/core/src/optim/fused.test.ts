import * as tf from "@tensorflow/tfjs-core";
import "../backend/register-gradients.ts";
import { beforeAll, describe, expect, it } from "vitest";
import type { Parameter } from "../models/parameters.ts";
import { createAdamW } from "./adamw.ts";
import { FUSED_ADAMW_KERNEL, FUSED_SGD_KERNEL, hasFusedKernel } from "./fused.ts";
import { createSgd } from "./sgd.ts";
import { AdamWSpecSchema, SgdSpecSchema } from "./spec.ts";

// The fused-kernel contract (optim/fused.ts) in plain JavaScript on the CPU backend, element for element as the
// WGSL kernels in backend/webgpu/kernels/fused-optimizers.ts compute it. This checks the optimizers' fused path
// and the contract itself; whether the WGSL matches it is checked on a GPU (kernels.webgpu.test.ts).
interface CpuBackend {
  readSync(dataId: object): Float32Array;
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): tf.TensorInfo;
}

function registerContract() {
  tf.registerKernel({
    kernelName: FUSED_ADAMW_KERNEL,
    backendName: "cpu",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as unknown as CpuBackend;
      const read = (name: string) => cpu.readSync((inputs[name] as tf.TensorInfo).dataId);
      const [p, g, m, v, rates] = ["param", "grad", "moment1", "moment2", "rates"].map(
        read,
      ) as Float32Array[];
      const { beta1, beta2, epsilon, correction2, decays } = attrs as Record<string, number>;
      const trialSize = p!.length / (rates!.length / 2);
      const out = [new Float32Array(p!.length), new Float32Array(p!.length), new Float32Array(p!.length)];
      for (let i = 0; i < p!.length; i++) {
        const k = Math.floor(i / trialSize);
        const newM = m![i]! * beta1! + g![i]! * (1 - beta1!);
        const newV = v![i]! * beta2! + g![i]! * g![i]! * (1 - beta2!);
        const decay = decays ? rates![k * 2 + 1]! : 1;
        out[0]![i] = p![i]! * decay + (newM / (Math.sqrt(newV) * correction2! + epsilon!)) * rates![k * 2]!;
        out[1]![i] = newM;
        out[2]![i] = newV;
      }
      const shape = (inputs.param as tf.TensorInfo).shape;
      return out.map((values) => cpu.makeTensorInfo(shape, "float32", values));
    },
  });
  tf.registerKernel({
    kernelName: FUSED_SGD_KERNEL,
    backendName: "cpu",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as unknown as CpuBackend;
      const read = (name: string) => cpu.readSync((inputs[name] as tf.TensorInfo).dataId);
      const [p, g0, b0, rates] = ["param", "grad", "momentumBuffer", "rates"].map(read) as Float32Array[];
      const { momentum, nesterov, decays } = attrs as Record<string, number>;
      const trialSize = p!.length / (rates!.length / 2);
      const out = [new Float32Array(p!.length), new Float32Array(p!.length)];
      for (let i = 0; i < p!.length; i++) {
        const k = Math.floor(i / trialSize);
        const g = g0![i]! + (decays ? rates![k * 2 + 1]! * p![i]! : 0);
        const b = momentum === 0 ? g : b0![i]! * momentum! + g;
        const d = nesterov ? g + b * momentum! : b;
        out[0]![i] = p![i]! + d * rates![k * 2]!;
        out[1]![i] = momentum === 0 ? b0![i]! : b;
      }
      const shape = (inputs.param as tf.TensorInfo).shape;
      return out.map((values) => cpu.makeTensorInfo(shape, "float32", values));
    },
  });
}

const W0 = [0.3, -0.7, 1.1, 0.05];
const GRADS = [
  [0.5, -1.2, 0.03, 0.1],
  [0.4, -0.9, -0.2, 0.2],
  [-0.3, 0.7, 0.5, -0.3],
];

/** Three updates of two stacked trials, with the fused kernels present or not. */
function run(kind: "adamw" | "sgd"): number[] {
  const parameter: Parameter = {
    name: "w",
    variable: tf.variable(tf.tensor2d([W0, W0]), true, `w${Math.random()}`),
    isBiasLike: false,
  };
  const optimizer =
    kind === "adamw"
      ? createAdamW([parameter], AdamWSpecSchema.parse({ kind, weightDecay: 0.1 }))
      : createSgd(
          [parameter],
          SgdSpecSchema.parse({ kind, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
        );
  for (const g of GRADS) {
    const grads = { [parameter.variable.name]: tf.tensor2d([g, g]) };
    optimizer.applyGradients(grads, { learningRates: [1e-2, 3e-3], weightDecays: [0.1, 0] });
    tf.dispose(Object.values(grads));
  }
  return Array.from(parameter.variable.dataSync());
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("the optimizers' fused-kernel path", () => {
  it("gives the op-by-op results for AdamW and SGD, per trial", () => {
    const plain = { adamw: run("adamw"), sgd: run("sgd") };
    expect(hasFusedKernel(FUSED_ADAMW_KERNEL)).toBe(false);
    registerContract();
    expect(hasFusedKernel(FUSED_ADAMW_KERNEL)).toBe(true);
    for (const kind of ["adamw", "sgd"] as const) {
      const fused = run(kind);
      for (const [i, value] of plain[kind].entries()) expect(Math.abs(fused[i]! - value)).toBeLessThan(1e-6);
      // The two trials really differ (own rate and decay).
      expect(fused[0]).not.toBeCloseTo(fused[4]!, 5);
    }
  });
});
