import { type ZodRawShape, z } from "zod";

/** Edit distance between two short names (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known name a misspelt one most likely meant: edit distance <= 2 (case aside), or a prefix either way. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    const distance =
      c.startsWith(lower) || (lower.startsWith(c) && c.length >= 3) ? 1 : editDistance(lower, c);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** One line per unknown field, with the closest known field when there is one. */
export function describeUnknownFields(keys: readonly string[], known: readonly string[]): string {
  return keys
    .map((key) => {
      const near = closestName(key, known);
      return `unknown field "${key}"${near ? ` (did you mean "${near}"?)` : ""}`;
    })
    .join("; ");
}

/**
 * An object schema that refuses unknown fields, naming each one and the known field it most likely meant:
 * a misspelt or misplaced setting must never fall back to a default without a word.
 */
export function strictObject<T extends ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? describeUnknownFields(issue.keys, known) : undefined,
  });
}

/** Zod issues as `{ path, message }`; an unknown field is one entry per field, its path naming the field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code !== "unrecognized_keys") return [{ path: path.join("."), message: issue.message }];
    // strictObject's message holds one "; "-separated part per key, in the keys' order.
    const parts = issue.message.split("; ");
    return issue.keys.map((key, i) => ({
      path: [...path, key].join("."),
      message: parts.length === issue.keys.length ? parts[i]! : issue.message,
    }));
  });
}
