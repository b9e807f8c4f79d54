// See program.ts for how these kernels were checked.
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { flatProgram, scalarUniforms, type WebGpuBackendLike } from "./program.ts";

/** Threads to aim for in the first pass: enough to fill a large GPU, few enough that partials stay small. */
const TARGET_THREADS = 1 << 18;

/**
 * The filter gradient of an NHWC convolution in two passes. The stock kernel gives each of the fh*fw*cin*cout
 * outputs one thread that loops over the whole batch and image (28 ms at batch 128 for the CNN's second layer on
 * an H200, 112 ms at 512). Here pass one splits the batch into P chunks, so P times as many threads each sum
 * one chunk into partials [P, F]; pass two sums the P partials of each output.
 *   dW[kh, kw, ci, co] = sum over (b, i, j) of x[b, i*sh + kh - top, j*sw + kw - left, ci] * dy[b, i, j, co]
 */
export function conv2dBackpropFilterWebGpu(stock: KernelConfig): KernelConfig {
  return {
    kernelName: "Conv2DBackpropFilter",
    backendName: "webgpu",
    kernelFunc: (args) => {
      const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as {
        strides: [number, number] | number;
        pad: "valid" | "same" | number;
        dataFormat: "NHWC" | "NCHW";
        dimRoundingMode?: "floor" | "round" | "ceil";
        filterShape: [number, number, number, number];
      };
      if (dataFormat !== "NHWC") return stock.kernelFunc(args);
      const webgpu = args.backend as unknown as WebGpuBackendLike;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
      );
      const [fh, fw, cin, cout] = filterShape;
      const filterSize = fh * fw * cin * cout;
      const parts = Math.max(1, Math.min(info.batchSize, Math.ceil(TARGET_THREADS / filterSize)));
      const chunk = Math.ceil(info.batchSize / parts);
      const partial = webgpu.runWebGPUProgram(
        flatProgram({
          key: "sweeplabConv2DBackpropFilterPartial",
          inputs: ["x", "dy"],
          outputShape: [parts, filterSize],
          uniforms:
            "filterSize : i32, cin : i32, cout : i32, fw : i32, chunk : i32, batch : i32, inH : i32, inW : i32, outH : i32, outW : i32, strideH : i32, strideW : i32, padTop : i32, padLeft : i32,",
          body: `
            let f = index % uniforms.filterSize;
            let bStart = (index / uniforms.filterSize) * uniforms.chunk;
            let bEnd = min(bStart + uniforms.chunk, uniforms.batch);
            let co = f % uniforms.cout;
            let ci = (f / uniforms.cout) % uniforms.cin;
            let kw = (f / (uniforms.cout * uniforms.cin)) % uniforms.fw;
            let kh = f / (uniforms.cout * uniforms.cin * uniforms.fw);
            var acc = 0.0;
            for (var b = bStart; b < bEnd; b = b + 1) {
              for (var i = 0; i < uniforms.outH; i = i + 1) {
                let r = i * uniforms.strideH + kh - uniforms.padTop;
                if (r < 0 || r >= uniforms.inH) { continue; }
                let xRow = (b * uniforms.inH + r) * uniforms.inW;
                let dyRow = (b * uniforms.outH + i) * uniforms.outW;
                for (var j = 0; j < uniforms.outW; j = j + 1) {
                  let c = j * uniforms.strideW + kw - uniforms.padLeft;
                  if (c < 0 || c >= uniforms.inW) { continue; }
                  acc = acc + x[(xRow + c) * uniforms.cin + ci] * dy[(dyRow + j) * uniforms.cout + co];
                }
              }
            }
            setOutputAtIndex(index, acc);
          `,
        }),
        [x, dy],
        "float32",
        scalarUniforms(
          [],
          [
            filterSize,
            cin,
            cout,
            fw,
            chunk,
            info.batchSize,
            info.inHeight,
            info.inWidth,
            info.outHeight,
            info.outWidth,
            info.strideHeight,
            info.strideWidth,
            info.padInfo.top,
            info.padInfo.left,
          ],
        ),
      );
      const result = webgpu.runWebGPUProgram(
        flatProgram({
          key: "sweeplabConv2DBackpropFilterSum",
          inputs: ["partial"],
          outputShape: filterShape,
          uniforms: "parts : i32,",
          body: `
            var acc = 0.0;
            for (var p = 0; p < uniforms.parts; p = p + 1) {
              acc = acc + partial[p * uniforms.size + index];
            }
            setOutputAtIndex(index, acc);
          `,
        }),
        [partial],
        "float32",
        scalarUniforms([], [parts]),
      );
      webgpu.disposeData(partial.dataId);
      return result;
    },
  };
}
