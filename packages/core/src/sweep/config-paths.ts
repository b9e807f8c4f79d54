import type { z } from "zod";
import { RunConfigSchema } from "../train/config.ts";

type AnySchema = z.core.$ZodType;

/** The schemas a key can lead into: through defaults, optionals, pipes and every member of a union. */
function unwrap(schema: AnySchema): AnySchema[] {
  const def = schema._zod.def as unknown as {
    type: string;
    innerType?: AnySchema;
    in?: AnySchema;
    options?: AnySchema[];
  };
  switch (def.type) {
    case "default":
    case "prefault":
    case "optional":
    case "nullable":
    case "readonly":
      return def.innerType ? unwrap(def.innerType) : [];
    case "pipe":
      return def.in ? unwrap(def.in) : [];
    case "union":
      return (def.options ?? []).flatMap(unwrap);
    default:
      return [schema];
  }
}

function child(schema: AnySchema, key: string): AnySchema[] {
  return unwrap(schema).flatMap((s) => {
    const def = s._zod.def as unknown as { type: string; shape?: Record<string, AnySchema> };
    return def.type === "object" && def.shape && Object.hasOwn(def.shape, key) ? [def.shape[key]!] : [];
  });
}

/**
 * Whether a dot path names a field of RunConfig under some choice of its unions (`model.channels` exists for the
 * CNN, `optimizer.momentum` for SGD). Paths stop at object fields: a tuple such as `model.channels` is set whole. Conditions decide at sampling time which branch is in force.
 */
export function knownConfigPath(path: string): boolean {
  let schemas: AnySchema[] = [RunConfigSchema];
  for (const key of path.split(".")) {
    schemas = schemas.flatMap((s) => child(s, key));
    if (schemas.length === 0) return false;
  }
  return true;
}
