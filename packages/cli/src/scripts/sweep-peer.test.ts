import type { ResolvedRunConfig } from "@sweeplab/sdk";
import { describe, expect, it } from "vitest";
import { peerArgs } from "./sweep-peer.ts";

const config = (over: Record<string, unknown>) =>
  ({
    model: { kind: "mlp", depth: 2, width: 512, activation: "relu", dropout: 0 },
    optimizer: { kind: "sgd", learningRate: 0.05, momentum: 0.9, weightDecay: 0 },
    steps: 1000,
    batchSize: 64,
    seed: 3,
    ...over,
  }) as unknown as ResolvedRunConfig;

describe("peerArgs", () => {
  it("passes a trial's activation, optimizer, learning rate, batch, steps and seed to the peer", () => {
    expect(peerArgs(config({}), 1).join(" ")).toBe(
      "train --model mlp --act relu --width 512 --opt sgd --lr 0.05 --wd 0 --steps 1000 --batch 64 --seed 3 --threads 1",
    );
  });

  it("refuses what the peer cannot train the same way", () => {
    expect(() => peerArgs(config({ model: { kind: "cnn" } }), 1)).toThrow(/MLP/);
    expect(() =>
      peerArgs(config({ optimizer: { kind: "sgd", learningRate: 0.05, momentum: 0.5, weightDecay: 0 } }), 1),
    ).toThrow(/momentum/);
  });
});
