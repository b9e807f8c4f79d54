import * as tf from "@tensorflow/tfjs-core";
import "../backend/register-gradients.ts";
import { describe, expect, it } from "vitest";
import type { Parameter } from "../models/parameters.ts";
import { createSlots, restoreSlots } from "./slots.ts";

describe("restoreSlots", () => {
  it("writes the saved values and leaves no temporary tensor behind", async () => {
    await tf.setBackend("cpu");
    const parameter: Parameter = {
      name: "w",
      variable: tf.variable(tf.tensor1d([1, 2, 3]), true, `w${Math.random()}`),
      isBiasLike: false,
    };
    const [slot] = createSlots([parameter], "m");
    const saved = [{ name: "w/m", shape: [3], values: new Float32Array([0.5, -1, 2]) }];
    restoreSlots([{ name: "w/m", variable: slot! }], saved);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) restoreSlots([{ name: "w/m", variable: slot! }], saved);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(slot!.dataSync())).toEqual([0.5, -1, 2]);
  });
});
