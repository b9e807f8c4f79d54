// Written against tfjs-backend-webgpu 4.22's WebGPUProgram contract (read from its dist). Checked on an NVIDIA H200
// (2026-11-27, scripts/gpu-check.sh): every kernel within 7e-7 of the CPU reference. kernels.webgpu.test.ts checks
// them wherever an adapter exists. A shader must reference every input it is given: WGSL's automatic layout drops
// an unreferenced binding and the backend binds all inputs, which Dawn rejects.
import type { DataType, TensorInfo } from "@tensorflow/tfjs-core";

/** The fields of tfjs-backend-webgpu's WebGPUProgram that core's kernels use (its own type pulls in @webgpu/types). */
export interface FlatProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** Adds `size : i32` (the output's element count) to the uniforms. */
  size: true;
  /** WGSL struct members appended to the backend's own uniforms, e.g. "beta1 : f32, trials : i32,". */
  uniforms?: string;
  getUserCode: () => string;
}

export type ProgramUniform = { type: "float32" | "int32"; data: number[] }[];

/** The part of WebGPUBackend the kernels call. */
export interface WebGpuBackendLike {
  runWebGPUProgram(
    program: FlatProgram,
    inputs: TensorInfo[],
    outputDtype: DataType,
    uniforms?: ProgramUniform,
  ): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

const WORKGROUP = 64;

/**
 * Scalar uniforms, floats then integers, one entry each: the backend aligns an entry of n values as a vecN, so
 * scalars declared as separate struct members must be passed separately.
 */
export function scalarUniforms(floats: number[], ints: number[]): ProgramUniform {
  return [
    ...floats.map((v) => ({ type: "float32" as const, data: [v] })),
    ...ints.map((v) => ({ type: "int32" as const, data: [v] })),
  ];
}

/**
 * A program with one thread per output element. The backend binds each input as `var<storage, read> NAME:
 * array<f32>` and the output as `result`, calls `main(index)` with the flat output index, and provides
 * `setOutputAtIndex(index, value)` and `uniforms.size`. `body` runs inside `if (index < uniforms.size)`.
 * The backend reshapes the dispatch itself when it exceeds the per-dimension limit.
 */
export function flatProgram(options: {
  key: string;
  inputs: string[];
  outputShape: number[];
  uniforms?: string;
  body: string;
}): FlatProgram {
  const size = options.outputShape.reduce((a, b) => a * b, 1);
  return {
    variableNames: options.inputs,
    outputShape: options.outputShape,
    shaderKey: options.key,
    dispatchLayout: { x: options.outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    uniforms: options.uniforms,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${options.body}
        }
      }
    `,
  };
}

/** The same buffer seen as a flat vector (a TensorInfo is only a data id, a shape and a dtype). */
export function flat(info: TensorInfo): TensorInfo {
  return { dataId: info.dataId, dtype: info.dtype, shape: [info.shape.reduce((a, b) => a * b, 1)] };
}
