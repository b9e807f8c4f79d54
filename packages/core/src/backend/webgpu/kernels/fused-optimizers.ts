// Fused optimizer updates (see program.ts), one dispatch per output tensor, no read-back.
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { FUSED_ADAMW_KERNEL, FUSED_SGD_KERNEL } from "../../../optim/fused.ts";
import { flat, flatProgram, scalarUniforms, type WebGpuBackendLike } from "./program.ts";

/**
 * AdamW for one parameter tensor (of K trials; K = rows of `rates`), as optim/adamw.ts computes it op by op:
 *   m' = b1 m + (1 - b1) g;  v' = b2 v + (1 - b2) g^2;  p' = p * decay + (m' / (sqrt(v') c2 + eps)) * step
 * Each of p', m', v' is one dispatch that reads p, g, m, v (WebGPUProgram has one output): three dispatches in
 * place of about fifteen element-wise kernels, with the scalars as uniforms instead of uploaded tensors.
 */
function adamwProgram(output: "param" | "moment1" | "moment2", shape: number[]) {
  const value = {
    moment1: "m",
    moment2: "v",
    param:
      "p * select(1.0, rates[k * 2 + 1], uniforms.decays == 1) + (m / (sqrt(v) * uniforms.correction2 + uniforms.epsilon)) * rate",
  }[output];
  return flatProgram({
    key: `sweeplabAdamW_${output}`,
    inputs: ["param", "grad", "moment1", "moment2", "rates"],
    outputShape: shape,
    uniforms: "beta1 : f32, beta2 : f32, epsilon : f32, correction2 : f32, trialSize : i32, decays : i32,",
    body: `
      let k = index / uniforms.trialSize;
      // Every program reads every input, even the moment ones that do not need p: WGSL's automatic bind group
      // layout drops a binding the shader never references, and the backend binds all inputs (seen on an H200:
      // "binding index 1 not present in the bind group layout").
      let p = param[index];
      let rate = rates[k * 2];
      let g = grad[index];
      let m = moment1[index] * uniforms.beta1 + g * (1.0 - uniforms.beta1);
      let v = moment2[index] * uniforms.beta2 + (g * g) * (1.0 - uniforms.beta2);
      setOutputAtIndex(index, ${value});
    `,
  });
}

export const fusedAdamW: KernelConfig = {
  kernelName: FUSED_ADAMW_KERNEL,
  backendName: "webgpu",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const webgpu = backend as unknown as WebGpuBackendLike;
    const { param, grad, moment1, moment2, rates } = inputs as Record<string, TensorInfo>;
    const { beta1, beta2, epsilon, correction2, decays } = attrs as unknown as Record<string, number>;
    const p = param!;
    const size = p.shape.reduce((a, b) => a * b, 1);
    const trials = rates!.shape[0]!;
    const uniforms = scalarUniforms(
      [beta1!, beta2!, epsilon!, correction2!],
      [size / trials, decays ? 1 : 0],
    );
    const flatInputs = [p, grad!, moment1!, moment2!, rates!].map(flat);
    return (["param", "moment1", "moment2"] as const).map((output) => ({
      ...webgpu.runWebGPUProgram(adamwProgram(output, [size]), flatInputs, "float32", uniforms),
      shape: p.shape,
    }));
  },
};

/**
 * SGD with momentum for one parameter tensor, as optim/sgd.ts: g' = g + wd p (when it decays);
 * b' = mu b + g';  d = nesterov ? g' + mu b' : b';  p' = p + d * (-lr). With momentum 0 the buffer is kept.
 */
function sgdProgram(output: "param" | "momentumBuffer", shape: number[]) {
  return flatProgram({
    key: `sweeplabSgd_${output}`,
    inputs: ["param", "grad", "momentumBuffer", "rates"],
    outputShape: shape,
    uniforms: "momentum : f32, trialSize : i32, nesterov : i32, decays : i32,",
    body: `
      let k = index / uniforms.trialSize;
      let p = param[index];
      let g = grad[index] + select(0.0, rates[k * 2 + 1] * p, uniforms.decays == 1);
      let b = select(momentumBuffer[index] * uniforms.momentum + g, g, uniforms.momentum == 0.0);
      let d = select(b, g + b * uniforms.momentum, uniforms.nesterov == 1);
      setOutputAtIndex(index, ${output === "param" ? "p + d * rates[k * 2]" : "select(b, momentumBuffer[index], uniforms.momentum == 0.0)"});
    `,
  });
}

export const fusedSgd: KernelConfig = {
  kernelName: FUSED_SGD_KERNEL,
  backendName: "webgpu",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const webgpu = backend as unknown as WebGpuBackendLike;
    const { param, grad, momentumBuffer, rates } = inputs as Record<string, TensorInfo>;
    const { momentum, nesterov, decays } = attrs as unknown as Record<string, number>;
    const p = param!;
    const size = p.shape.reduce((a, b) => a * b, 1);
    const uniforms = scalarUniforms([momentum!], [size / rates!.shape[0]!, nesterov ? 1 : 0, decays ? 1 : 0]);
    const flatInputs = [p, grad!, momentumBuffer!, rates!].map(flat);
    return (["param", "momentumBuffer"] as const).map((output) => ({
      ...webgpu.runWebGPUProgram(sgdProgram(output, [size]), flatInputs, "float32", uniforms),
      shape: p.shape,
    }));
  },
};
