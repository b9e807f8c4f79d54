import { formatDuration } from "../render/format.ts";
import type { Target } from "../target.ts";

export async function showStatus(target: Target, options: { json?: boolean }) {
  const status = await target.client.status();
  if (options.json) return console.log(JSON.stringify(status));
  const backend = status.backend;
  console.log(
    `sweeplab ${status.version} at ${target.description}, up ${formatDuration(status.uptimeSeconds)}`,
  );
  console.log(
    `  backend  ${backend ? `${backend.name} (${backend.devices.join(", ")}), tfjs ${backend.tfjsVersion}${backend.tensorflowVersion ? `, TensorFlow ${backend.tensorflowVersion}` : ""}` : status.backendProblem ? "none" : "starting"}`,
  );
  if (status.backendProblem) console.log(`  problem  ${status.backendProblem}`);
  for (const w of status.workers) console.log(`  worker ${w.id}  ${w.state}${w.runId ? ` ${w.runId}` : ""}`);
  console.log(`  queue    ${status.queueDepth}`);
  console.log(
    `  runs     ${Object.entries(status.runsByStatus)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
}
