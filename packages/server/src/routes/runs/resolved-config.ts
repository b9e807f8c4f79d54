import { RunConfigSchema } from "@sweeplab/core";
import { z } from "zod";
import type { App } from "../../app-types.ts";

const PREFIX = "Resolved";

/**
 * Publishes RunConfig's output shape (every default filled in, so every field required) as `ResolvedRunConfig`
 * and its parts as `Resolved*`, beside the input shape `RunConfig` that requests use. Generated from the same
 * zod schema, so the two cannot drift; runs carry the resolved one, and clients need not restate defaults.
 */
export function registerResolvedRunConfig(registry: App["openAPIRegistry"]): void {
  const json = z.toJSONSchema(RunConfigSchema, {
    io: "output",
    unrepresentable: "any",
    target: "draft-2020-12",
  });
  const text = JSON.stringify(json.$defs ?? {}).replaceAll(
    /"#\/\$defs\/([A-Za-z]+)"/g,
    `"#/components/schemas/${PREFIX}$1"`,
  );
  for (const [name, schema] of Object.entries(JSON.parse(text) as Record<string, object>)) {
    registry.registerComponent("schemas", `${PREFIX}${name}`, schema);
  }
}

/** Where a response refers to the resolved config. */
export const ResolvedRunConfigRef = z
  .looseObject({})
  .meta({ $ref: `#/components/schemas/${PREFIX}RunConfig` });
