// A service that calls sweeplab, as a user would write it: strict TypeScript, ES modules, the SDK from its
// tarball. Prints one JSON line of what it saw; packages.test.ts checks it.
import {
  ConnectionError,
  createClient,
  type ErrorCode,
  isApiError,
  isTerminal,
  isTransportError,
  parseRunEvent,
  type SequencedRunEvent,
  type StepEvent,
  type SweepEvent,
} from "@sweeplab/sdk";

const baseUrl = process.env.SWEEPLAB_URL ?? "";
const token = process.env.SWEEPLAB_TOKEN ?? "";
const client = createClient({ baseUrl, token: async () => token, userAgent: "consumer-esm/1.0" });
const config = {
  model: { kind: "mlp" as const, depth: 1, width: 16 },
  optimizer: { kind: "adamw" as const, learningRate: 1e-3 },
  steps: 20,
  logEverySteps: 10,
  evalEverySteps: 10,
  validationSize: 500,
};

const run = await client.runs.create({ name: "consumer", config }, { idempotencyKey: "consumer-esm-1" });
const streamed: SequencedRunEvent["type"][] = [];
for await (const event of client.runs.events(run.id)) streamed.push(event.type);
const finished = await client.runs.wait(run.id, { signal: AbortSignal.timeout(120_000) });
const pixels = Array.from({ length: 784 }, (_, i) => (i % 28 === 14 ? 255 : 0));
const { predictions } = await client.runs.predict(run.id, { images: [pixels] }, { timeoutMs: 30_000 });

const sweep = await client.sweeps.create({
  base: config,
  space: {
    parameters: [{ name: "lr", path: "optimizer.learningRate", type: "log-uniform", low: 1e-4, high: 1e-2 }],
  },
  trials: 2,
  parallelism: 1,
});
const sweepEvents: SweepEvent["type"][] = [];
const ended = await client.sweeps.wait(sweep.id, { onEvent: (event) => sweepEvents.push(event.type) });

let auth: { status: number; code: ErrorCode } | undefined;
try {
  await createClient({ baseUrl, token: "not-the-token", retry: 0 }).status();
} catch (error) {
  if (isApiError(error)) auth = { status: error.status, code: error.code };
}

let refused: { connection: boolean; transport: boolean; code: string; url: string } | undefined;
try {
  await createClient({ baseUrl: process.env.CLOSED_URL ?? "", retry: 0 }).health();
} catch (error) {
  if (error instanceof ConnectionError)
    refused = { connection: true, transport: isTransportError(error), code: error.code, url: error.url };
}

/** The contract's event check, bundled into the SDK (no zod installed): one event it takes, one it refuses. */
function checkEvents(): { accepted: StepEvent["type"]; refused: boolean } {
  const step = parseRunEvent({
    type: "step",
    step: 1,
    loss: 2.3,
    learningRate: 1e-3,
    msPerStep: 1,
    examplesPerSecond: 100,
    liveTensors: 10,
  });
  let refused = false;
  try {
    parseRunEvent({ type: "step", step: "one" });
  } catch {
    refused = true;
  }
  return { accepted: step.type === "step" ? step.type : "step", refused };
}

console.log(
  JSON.stringify({
    run: { status: finished.status, terminal: isTerminal(finished.status), streamed },
    predictions: predictions.map((p) => p.probabilities.length),
    sweep: { status: ended.status, trials: ended.trialRuns.length, last: sweepEvents.at(-1) },
    auth,
    refused,
    checked: checkEvents(),
  }),
);
