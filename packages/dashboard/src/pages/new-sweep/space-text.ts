/** A search space as typed into the form: JSON whose shape the service checks (its problem names the field). */
export const SPACE_EXAMPLE = JSON.stringify(
  {
    parameters: [
      { name: "learningRate", path: "optimizer.learningRate", type: "log-uniform", low: 3e-4, high: 3e-3 },
      { name: "batchSize", path: "batchSize", type: "categorical", values: [64, 128, 256] },
    ],
  },
  null,
  2,
);

/** The space typed so far: nothing when empty, the parsed object, or why it is not a JSON object. */
export function parseSpace(text: string): { value?: object; error?: string } {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value))
      return { error: 'the space is a JSON object: { "parameters": [ … ] }' };
    return { value };
  } catch (error) {
    return { error: `not JSON: ${(error as Error).message}` };
  }
}
