import type { JsonSchema, OpenApiDocument } from "../../api/openapi.ts";

/** Follows `$ref`s to the schema they name; a default next to the `$ref` wins over the target's. */
export function resolveSchema(schema: JsonSchema, doc: OpenApiDocument): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 20; hops++) {
    const name = current.$ref.replace("#/components/schemas/", "");
    const target = doc.components.schemas[name];
    if (!target) throw new Error(`the API document has no schema ${name}`);
    current = { ...target, ...(current.default !== undefined ? { default: current.default } : {}) };
  }
  return current;
}

const isNullSchema = (s: JsonSchema) => s.type === "null";

/** Whether a `oneOf` also allows null (`earlyStopping: asha | median | null`). */
export const allowsNull = (schema: JsonSchema) => Boolean(schema.oneOf?.some(isNullSchema));

/**
 * The variants of a `oneOf` with a discriminator, keyed by their discriminator value (`mlp`, `cnn`); a null
 * option is not a variant (see `allowsNull`).
 */
export function variantsOf(schema: JsonSchema, doc: OpenApiDocument): Map<string, JsonSchema> | null {
  const key = schema.discriminator?.propertyName ?? "kind";
  if (!schema.oneOf) return null;
  const variants = new Map<string, JsonSchema>();
  for (const option of schema.oneOf.filter((o) => !isNullSchema(o))) {
    const resolved = resolveSchema(option, doc);
    const tag = resolved.properties?.[key]?.enum?.[0];
    if (typeof tag !== "string") return null;
    variants.set(tag, resolved);
  }
  return variants;
}

/** The schema of an object restricted to some of its properties (a form that lays out the rest itself). */
export function pickProperties(
  schema: JsonSchema,
  keys: readonly string[],
  doc: OpenApiDocument,
): JsonSchema {
  const s = resolveSchema(schema, doc);
  const properties = Object.fromEntries(Object.entries(s.properties ?? {}).filter(([k]) => keys.includes(k)));
  return { ...s, properties, required: s.required?.filter((k) => keys.includes(k)) ?? [] };
}

/** The value the API would fill in for this schema when the client sends nothing. */
export function defaultValue(schema: JsonSchema, doc: OpenApiDocument): unknown {
  const s = resolveSchema(schema, doc);
  if (s.default !== undefined) return structuredClone(s.default);
  if (s.properties) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(s.properties)) {
      const value = defaultValue(inner, doc);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (s.enum?.length === 1) return s.enum[0];
  return undefined;
}

const isType = (s: JsonSchema, type: string) =>
  s.type === type || (Array.isArray(s.type) && s.type.includes(type));

/** Problems with a number against its schema's bounds, in words; empty when it is fine. */
export function checkNumber(schema: JsonSchema, value: unknown): string | null {
  if (typeof value !== "number" || Number.isNaN(value)) return "a number is required";
  if (isType(schema, "integer") && !Number.isInteger(value)) return "must be a whole number";
  if (schema.minimum !== undefined && value < schema.minimum) return `must be at least ${schema.minimum}`;
  if (schema.maximum !== undefined && value > schema.maximum) return `must be at most ${schema.maximum}`;
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
    return `must be more than ${schema.exclusiveMinimum}`;
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
    return `must be less than ${schema.exclusiveMaximum}`;
  return null;
}

/** Every field problem in `value`, keyed by dotted path, checked against the schema's bounds and enums. */
export function validateValue(
  schema: JsonSchema,
  value: unknown,
  doc: OpenApiDocument,
  path = "",
): Record<string, string> {
  const s = resolveSchema(schema, doc);
  const variants = variantsOf(s, doc);
  if (variants) {
    if (value == null && allowsNull(s)) return {};
    const tag = (value as Record<string, unknown> | null)?.[s.discriminator?.propertyName ?? "kind"];
    const variant = typeof tag === "string" ? variants.get(tag) : undefined;
    return variant ? validateValue(variant, value, doc, path) : { [path]: "choose one of the kinds" };
  }
  if (s.anyOf) {
    const branch = s.anyOf.map((b) => resolveSchema(b, doc)).find((b) => matchesType(b, value));
    return branch ? validateValue(branch, value, doc, path) : {};
  }
  if (isType(s, "integer") || isType(s, "number")) {
    const problem = checkNumber(s, value);
    return problem ? { [path]: problem } : {};
  }
  if (s.enum && !s.enum.includes(value)) return { [path]: `must be one of ${s.enum.join(", ")}` };
  if (isType(s, "string") && typeof value === "string") {
    if (s.minLength !== undefined && value.length < s.minLength) return { [path]: "required" };
    if (s.maxLength !== undefined && value.length > s.maxLength)
      return { [path]: `at most ${s.maxLength} characters` };
    return {};
  }
  const errors: Record<string, string> = {};
  if (s.items && Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems)
      errors[path] = `at least ${s.minItems} ${s.minItems === 1 ? "item" : "items"}`;
    for (const [i, item] of value.entries())
      Object.assign(errors, validateValue(s.items, item, doc, `${path}.${i}`));
  }
  if (s.required && value && typeof value === "object")
    for (const key of s.required)
      if ((value as Record<string, unknown>)[key] === undefined)
        errors[path ? `${path}.${key}` : key] = "required";
  if (s.prefixItems && Array.isArray(value))
    for (const [i, item] of s.prefixItems.entries())
      Object.assign(errors, validateValue(item, value[i], doc, `${path}.${i}`));
  if (s.properties && value && typeof value === "object")
    for (const [key, inner] of Object.entries(s.properties))
      if ((value as Record<string, unknown>)[key] !== undefined)
        Object.assign(
          errors,
          validateValue(inner, (value as Record<string, unknown>)[key], doc, path ? `${path}.${key}` : key),
        );
  return errors;
}

/** Which branch of an `anyOf` a value belongs to (`augment: true` vs `augment: {…}`). */
export function matchesType(schema: JsonSchema, value: unknown): boolean {
  if (schema.enum) return schema.enum.includes(value);
  if (isType(schema, "integer") || isType(schema, "number")) return typeof value === "number";
  if (isType(schema, "boolean")) return typeof value === "boolean";
  if (isType(schema, "string")) return typeof value === "string";
  if (isType(schema, "object") || schema.properties) return value !== null && typeof value === "object";
  return false;
}
