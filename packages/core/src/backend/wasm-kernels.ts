import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { asKernelOutput, runKernel } from "./kernel-outputs.ts";

const BACKEND = "wasm";

/**
 * The wasm backend's transposed BatchMatMul runs 10-25x slower than its plain one (measured here), and the
 * backward pass of every dense layer asks for transposed products. This wraps the stock kernel so that a
 * transposed operand is transposed explicitly first (a cheap copy), then multiplied the fast way.
 */
function explicitTransposeBatchMatMul(stock: KernelConfig): KernelConfig {
  return {
    kernelName: "BatchMatMul",
    backendName: BACKEND,
    setupFunc: stock.setupFunc,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return stock.kernelFunc({ inputs, backend, attrs });
      const swapLastTwo = (t: TensorInfo) => {
        const perm = t.shape.map((_, i) => i);
        const n = perm.length;
        [perm[n - 2], perm[n - 1]] = [perm[n - 1]!, perm[n - 2]!];
        return runKernel("Transpose", { x: t }, { perm });
      };
      const temporaries: tf.Tensor[] = [];
      const plainA = transposeA ? temporaries[temporaries.push(swapLastTwo(a)) - 1]! : a;
      const plainB = transposeB ? temporaries[temporaries.push(swapLastTwo(b)) - 1]! : b;
      try {
        return stock.kernelFunc({
          inputs: { a: plainA, b: plainB } as NamedTensorInfoMap,
          backend,
          attrs: { ...attrs, transposeA: false, transposeB: false } as NamedAttrMap,
        });
      } finally {
        for (const t of temporaries) t.dispose();
      }
    },
  };
}

/**
 * The filter gradient of a 2-D convolution (NHWC), which the wasm backend lacks, as im2col products.
 * dW[kh, kw, ci, co] = sum over (b, i, j) of x[b, i*s + kh - top, j*s + kw - left, ci] * dy[b, i, j, co].
 */
const conv2dBackpropFilter: KernelConfig = {
  kernelName: "Conv2DBackpropFilter",
  backendName: BACKEND,
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
      strides: [number, number] | number;
      pad: "valid" | "same" | number;
      dataFormat: "NHWC" | "NCHW";
      dimRoundingMode?: "floor" | "round" | "ceil";
      filterShape: [number, number, number, number];
    };
    if (dataFormat !== "NHWC") throw new Error("Conv2DBackpropFilter on wasm supports NHWC only");
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const [fh, fw, cin, cout] = filterShape;
    const result = tf.tidy(() => {
      // Identity shares the input buffers with a reference of their own, so disposing these frees nothing.
      const input = runKernel<tf.Tensor4D>("Identity", { x });
      const grad = runKernel<tf.Tensor4D>("Identity", { x: dy });
      const { top, bottom, left, right } = info.padInfo;
      const padded =
        top || bottom || left || right
          ? tf.pad(input, [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ])
          : input;
      const { outHeight, outWidth, strideHeight, strideWidth, batchSize } = info;
      const rows = batchSize * outHeight * outWidth;
      // One product per filter offset instead of a full im2col matrix: the same arithmetic, but the peak memory
      // is one input slice rather than fh*fw of them (the wasm heap cannot exceed 4 GB and never shrinks).
      const dyColumns = tf.transpose(tf.reshape(grad, [rows, cout])); // [cout, rows], transposed once
      const perOffset: tf.Tensor2D[] = [];
      for (let kh = 0; kh < fh; kh++) {
        for (let kw = 0; kw < fw; kw++) {
          const slice = tf.stridedSlice(
            padded,
            [0, kh, kw, 0],
            [batchSize, kh + (outHeight - 1) * strideHeight + 1, kw + (outWidth - 1) * strideWidth + 1, cin],
            [1, strideHeight, strideWidth, 1],
          );
          perOffset.push(tf.matMul(dyColumns, tf.reshape(slice, [rows, cin]))); // [cout, cin]
        }
      }
      return tf.reshape(tf.transpose(tf.stack(perOffset), [0, 2, 1]), [fh, fw, cin, cout]);
    });
    return asKernelOutput(backend, result);
  },
};

/**
 * The input gradient of a stride-1 convolution as a forward convolution of the padded output gradient with the
 * spatially flipped, in/out-swapped filter. The wasm backend's own Conv2DBackpropInput is a plain loop (2.7 s
 * for the CNN's second layer at batch 128 here); its forward convolution runs on XNNPACK (~0.2 s).
 */
function fastConv2dBackpropInput(stock: KernelConfig): KernelConfig {
  return {
    kernelName: "Conv2DBackpropInput",
    backendName: BACKEND,
    setupFunc: stock.setupFunc,
    kernelFunc: (args) => {
      const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as {
        strides: [number, number] | number;
        pad: "valid" | "same" | number;
        dataFormat: "NHWC" | "NCHW";
        dimRoundingMode?: "floor" | "round" | "ceil";
        inputShape: [number, number, number, number];
      };
      const [strideHeight, strideWidth] = typeof strides === "number" ? [strides, strides] : strides;
      if (dataFormat !== "NHWC" || strideHeight !== 1 || strideWidth !== 1) return stock.kernelFunc(args);
      const [fh, fw] = filter.shape as [number, number, number, number];
      const { padInfo, outHeight, outWidth } = tf.backend_util.computeConv2DInfo(
        inputShape,
        filter.shape as [number, number, number, number],
        1,
        1,
        pad,
        dimRoundingMode,
      );
      const [, height, width] = inputShape;
      const result = tf.tidy(() => {
        const gradient = runKernel<tf.Tensor4D>("Identity", { x: dy });
        const weights = runKernel<tf.Tensor4D>("Identity", { x: filter });
        const padded = tf.pad(gradient, [
          [0, 0],
          [fh - 1 - padInfo.top, height - outHeight + padInfo.top],
          [fw - 1 - padInfo.left, width - outWidth + padInfo.left],
          [0, 0],
        ]);
        const flipped = tf.transpose(tf.reverse(weights, [0, 1]), [0, 1, 3, 2]);
        return tf.conv2d(padded, flipped, 1, "valid");
      });
      return asKernelOutput(args.backend, result);
    },
  };
}

let installed = false;

/** Registers sweeplab's wasm kernels. Call after the wasm backend is initialised; safe to call twice. */
export function installWasmKernels(): void {
  if (installed) return;
  const stock = tf.getKernel("BatchMatMul", BACKEND);
  if (stock) {
    tf.unregisterKernel("BatchMatMul", BACKEND);
    tf.registerKernel(explicitTransposeBatchMatMul(stock));
  }
  if (!tf.getKernel("Conv2DBackpropFilter", BACKEND)) tf.registerKernel(conv2dBackpropFilter);
  const stockBackpropInput = tf.getKernel("Conv2DBackpropInput", BACKEND);
  if (stockBackpropInput) {
    tf.unregisterKernel("Conv2DBackpropInput", BACKEND);
    tf.registerKernel(fastConv2dBackpropInput(stockBackpropInput));
  }
  installed = true;
}
