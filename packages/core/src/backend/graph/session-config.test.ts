import { describe, expect, it } from "vitest";
import { sessionConfig } from "./session-config.ts";

describe("sessionConfig", () => {
  it("is empty when nothing is set: TensorFlow's defaults (and its TF_NUM_*_THREADS) apply", () => {
    expect(Array.from(sessionConfig({}))).toEqual([]);
  });

  it("writes intra-op (field 2) and inter-op (field 5) thread counts as varints", () => {
    expect(Array.from(sessionConfig({ intraOp: 2, interOp: 1 }))).toEqual([0x10, 2, 0x28, 1]);
    // 300 needs two varint bytes: 0xac 0x02.
    expect(Array.from(sessionConfig({ intraOp: 300 }))).toEqual([0x10, 0xac, 0x02]);
  });

  it("asks for XLA auto-clustering as graph_options.optimizer_options.global_jit_level = ON_2", () => {
    expect(Array.from(sessionConfig({}, true))).toEqual([0x52, 4, 0x1a, 2, 0x28, 2]);
  });
});
