import { describe, expect, it } from "vitest";
import { isCoreError } from "../errors.ts";
import { parseRunConfig } from "../train/run-config.ts";
import { REFERENCE_SPACE } from "./presets.ts";
import { applyParameters, parseSearchSpace } from "./space.ts";

/** The reference study's space written backwards on purpose (lr before optimizer), plus a CNN-only parameter. */
const REFERENCE = {
  parameters: [
    ...[...REFERENCE_SPACE.parameters].reverse(),
    {
      name: "denseWidth",
      path: "model.denseWidth",
      type: "int",
      low: 16,
      high: 64,
      condition: { path: "model.kind", in: ["cnn"] },
    },
  ],
};

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isCoreError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error("expected a CoreError");
}

describe("parseSearchSpace", () => {
  it("orders parameters so a condition's path is written before it is read", () => {
    const space = parseSearchSpace(REFERENCE);
    expect(space.parameters.map((p) => p.name)).toEqual([
      "activation",
      "optimizer",
      "sgdLearningRate",
      "adamwLearningRate",
      "batchSize",
      "denseWidth",
    ]);
  });

  it("fills log: false on int parameters", () => {
    const space = parseSearchSpace({
      parameters: [{ name: "w", path: "model.width", type: "int", low: 8, high: 16 }],
    });
    expect(space.parameters[0]).toMatchObject({ log: false });
  });

  it.each([
    [
      { name: "x", path: "model.widht", type: "int", low: 1, high: 2 },
      'unknown RunConfig path "model.widht"',
    ],
    [{ name: "x", path: "model.width", type: "int", low: 8, high: 8 }, "low (8) must be below high (8)"],
    [
      { name: "x", path: "optimizer.learningRate", type: "log-uniform", low: 0, high: 1 },
      "a log scale needs low > 0, got 0",
    ],
    [{ name: "x", path: "batchSize", type: "categorical", values: [] }, "parameters.0.values"],
    [
      {
        name: "x",
        path: "batchSize",
        type: "int",
        low: 1,
        high: 9,
        condition: { path: "model.knd", equals: "cnn" },
      },
      'condition on unknown RunConfig path "model.knd"',
    ],
  ])("rejects %o with a clear INVALID_CONFIG message", (parameter, expected) => {
    const message = messageOf(() => parseSearchSpace({ parameters: [parameter] }));
    expect(message).toMatch(/^INVALID_CONFIG: invalid search space: /);
    expect(message).toContain(expected);
  });

  it("rejects two parameters writing one path unless their conditions exclude each other", () => {
    const lr = (name: string, kind?: string) => ({
      name,
      path: "optimizer.learningRate",
      type: "uniform",
      low: 0.001,
      high: 0.01,
      ...(kind ? { condition: { path: "optimizer.kind", in: [kind] } } : {}),
    });
    expect(messageOf(() => parseSearchSpace({ parameters: [lr("a"), lr("b", "sgd")] }))).toContain(
      'parameters "a" and "b" both write optimizer.learningRate',
    );
    expect(() => parseSearchSpace({ parameters: [lr("a", "sgd"), lr("b", "sgd")] })).toThrow("both write");
    expect(parseSearchSpace({ parameters: [lr("a", "adamw"), lr("b", "sgd")] }).parameters).toHaveLength(2);
  });

  it("rejects duplicate names and cycles among conditions", () => {
    const a = { name: "a", path: "batchSize", type: "categorical", values: [1] };
    expect(messageOf(() => parseSearchSpace({ parameters: [a, a] }))).toContain(
      'two parameters are named "a"',
    );
    const cycle = [
      {
        name: "a",
        path: "batchSize",
        type: "categorical",
        values: [1],
        condition: { path: "steps", equals: 1 },
      },
      {
        name: "b",
        path: "steps",
        type: "categorical",
        values: [1],
        condition: { path: "batchSize", equals: 1 },
      },
    ];
    expect(messageOf(() => parseSearchSpace({ parameters: cycle }))).toContain("cycle among a, b");
  });
});

describe("applyParameters", () => {
  const space = parseSearchSpace(REFERENCE);

  it("replaces the whole optimizer object, then sets its learning rate, leaving no AdamW keys behind", () => {
    const base = {
      optimizer: { kind: "adamw" as const, learningRate: 1e-3, beta2: 0.99 },
      model: { kind: "mlp" as const },
    };
    const config = applyParameters(base, space, {
      optimizer: { kind: "sgd", momentum: 0.9 },
      sgdLearningRate: 0.1,
      batchSize: 128,
      activation: "relu",
    });
    expect(config.optimizer).toEqual({ kind: "sgd", momentum: 0.9, learningRate: 0.1 });
    expect(base.optimizer.kind).toBe("adamw");
    const parsed = parseRunConfig(config);
    expect(parsed.optimizer).toMatchObject({ kind: "sgd", momentum: 0.9, learningRate: 0.1 });
    expect(parsed.batchSize).toBe(128);
  });

  it("applies CNN-only parameters only when model.kind is cnn", () => {
    const cnn = applyParameters({ model: { kind: "cnn" } }, space, {
      optimizer: { kind: "adamw" },
      adamwLearningRate: 1e-3,
      batchSize: 64,
      activation: "relu",
      denseWidth: 48,
    });
    expect(parseRunConfig(cnn).model).toMatchObject({ kind: "cnn", denseWidth: 48, channels: [32, 64] });
    expect(() =>
      applyParameters({}, space, {
        optimizer: { kind: "adamw" },
        adamwLearningRate: 1e-3,
        batchSize: 64,
        activation: "relu",
        denseWidth: 48,
      }),
    ).toThrow(/denseWidth do not apply/);
  });

  it("reads a condition from RunConfig defaults when neither base nor params set its path", () => {
    const lrOnly = parseSearchSpace({
      parameters: [
        {
          name: "lr",
          path: "optimizer.learningRate",
          type: "uniform",
          low: 0.001,
          high: 0.01,
          condition: { path: "optimizer.kind", equals: "adamw" },
        },
      ],
    });
    expect(applyParameters({}, lrOnly, { lr: 0.005 })).toEqual({ optimizer: { learningRate: 0.005 } });
  });

  it("rejects a missing active parameter", () => {
    expect(() =>
      applyParameters({}, space, { optimizer: { kind: "adamw" }, batchSize: 64, activation: "relu" }),
    ).toThrow('parameter "adamwLearningRate" applies but has no value');
  });
});
