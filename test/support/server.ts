import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type RunningService, startService } from "@sweeplab/server";

/** The real service on an ephemeral loopback port, over a temporary data folder (a real SQLite file). */
export async function startTestServer(
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<RunningService & { dataDir: string }> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "sweeplab-flow-"));
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    SWEEPLAB_DATA_DIR: dir,
    SWEEPLAB_HEARTBEAT_MS: "1000",
    SWEEPLAB_LOG_LEVEL: "warn",
    WORKERS: "1",
    ...env,
  });
  return Object.assign(await startService(config), { dataDir: dir });
}

/** A JSON Schema node of the service's OpenAPI document, as far as the form tests read it. */
export interface SchemaNode {
  properties: Record<string, { default?: unknown; maximum?: number; enum?: string[] }>;
}

/** The service's OpenAPI document: what the dashboard's forms are built from. */
export async function loadOpenApi(url: string, token: string) {
  const response = await fetch(`${url}/openapi.json`, { headers: { Authorization: `Bearer ${token}` } });
  return (await response.json()) as { components: { schemas: Record<string, SchemaNode> } };
}

export interface SseEvent {
  id: number;
  event: string;
  data: unknown;
}

/** Reads a server-sent-event stream to its end (or until `until` says stop). */
export async function readEvents(
  url: string,
  init: RequestInit = {},
  until?: (e: SseEvent) => boolean,
): Promise<SseEvent[]> {
  const response = await fetch(url, init);
  if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = "";
  const reader = response.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let split = buffer.indexOf("\n\n");
    while (split >= 0) {
      const block = buffer.slice(0, split);
      buffer = buffer.slice(split + 2);
      split = buffer.indexOf("\n\n");
      const fields = Object.fromEntries(
        block
          .split("\n")
          .filter((l) => !l.startsWith(":") && l.includes(":"))
          .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]),
      );
      if (!fields.event) continue;
      const event = {
        id: Number(fields.id),
        event: fields.event,
        data: JSON.parse(fields.data ?? "null") as unknown,
      };
      events.push(event);
      if (until?.(event)) {
        await reader.cancel();
        return events;
      }
    }
  }
  return events;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const SHORT_MLP = {
  model: { kind: "mlp" as const, depth: 1, width: 64 },
  steps: 300,
  batchSize: 64,
  logEverySteps: 50,
  evalEverySteps: 100,
  validationSize: 1000,
};

/** The smallest run that trains on real MNIST and succeeds within seconds: a model to predict with. */
export const TINY_MLP = {
  model: { kind: "mlp" as const, depth: 1, width: 8 },
  steps: 10,
  batchSize: 32,
  logEverySteps: 5,
  evalEverySteps: 10,
  validationSize: 0,
};

/** Submits a run and waits for its event stream to end; returns its id. */
export async function trainRun(
  url: string,
  config: object,
  headers: Record<string, string> = {},
): Promise<string> {
  const created = await fetch(`${url}/v1/runs`, {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify({ config }),
  });
  if (created.status !== 202) throw new Error(`create: HTTP ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  await readEvents(`${url}/v1/runs/${id}/events`, { headers });
  return id;
}
