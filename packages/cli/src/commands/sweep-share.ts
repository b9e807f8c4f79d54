// `sweeplab sweep export | import | report`: a sweep to one file and back (on any service), and its
// self-contained HTML report. Files are written whole or not at all; errors are one line (main.ts prints them).
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { UsageError } from "../errors.ts";
import type { Target } from "../target.ts";

/** Large sweeps take a while to gather and to store: these requests get longer than the client's 30 s. */
const SHARE_TIMEOUT_MS = 10 * 60_000;

/** Writes through a temporary file beside the target, so a failed or interrupted write leaves no half file. */
function writeWhole(file: string, text: string) {
  const partial = `${file}.partial`;
  try {
    writeFileSync(partial, text);
    renameSync(partial, file);
  } catch (error) {
    throw new UsageError(
      `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export async function exportSweepFile(target: Target, id: string, flags: { output?: string }) {
  const file = await target.client.sweeps.export(id, { timeoutMs: SHARE_TIMEOUT_MS });
  const out = flags.output ?? `${id}.sweep.json`;
  writeWhole(out, JSON.stringify(file));
  const runs = file.trials.reduce((n, t) => n + t.runs.length, 0);
  console.log(`wrote ${out}: sweep ${id}, ${file.trials.length} trials, ${runs} runs`);
}

export async function importSweepFile(target: Target, file: string, flags: { json?: boolean }) {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  // The service checks the file whole (format, version, every run); the CLI sends it as it is.
  const result = await target.client.sweeps.import(text, { timeoutMs: SHARE_TIMEOUT_MS });
  if (flags.json) console.log(JSON.stringify(result, null, 2));
  else console.log(`imported ${file} as sweep ${result.id} (from ${result.importedFrom}; read-only)`);
}

export async function writeSweepReport(target: Target, id: string, flags: { output?: string }) {
  const html = await target.client.sweeps.report(id, { timeoutMs: SHARE_TIMEOUT_MS });
  const out = flags.output ?? `${id}.report.html`;
  writeWhole(out, html);
  console.log(`wrote ${out}`);
}
