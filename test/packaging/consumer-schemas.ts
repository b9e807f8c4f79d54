// The contract beside the SDK, for a service that wants the zod schemas: it fills in a config's defaults before
// sending it, and the contract's output type is what the SDK's request type takes. Prints one JSON line.
import { RunConfigSchema } from "@sweeplab/contract";
import { createClient, type RunCreate } from "@sweeplab/sdk";

const client = createClient({ baseUrl: process.env.SWEEPLAB_URL ?? "", token: process.env.SWEEPLAB_TOKEN });
const config = RunConfigSchema.parse({
  model: { kind: "mlp", depth: 1, width: 16 },
  steps: 10,
  logEverySteps: 5,
  evalEverySteps: 10,
  validationSize: 500,
});
const body: RunCreate = { name: "schemas", config };
const run = await client.runs.create(body);
const finished = await client.runs.wait(run.id, { signal: AbortSignal.timeout(120_000) });
console.log(
  JSON.stringify({
    defaultSteps: RunConfigSchema.parse({}).steps,
    sent: run.config.steps,
    status: finished.status,
  }),
);
