import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "./server.ts";

const ROOT = join(import.meta.dirname, "../..");

/** The `sweeplab` command users run (the package's bin: the bundled CLI, rebuilt first when its sources changed). */
export const SWEEPLAB_BIN = join(ROOT, "packages/cli/bin/sweeplab.mjs");

/** `sweeplab ARGS` as its own process (stderr kept for messages), the way a user starts it. */
export function startCli(
  args: string[],
  env: Record<string, string>,
): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [SWEEPLAB_BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, SWEEPLAB_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return Object.assign(child, { output: () => output });
}

/**
 * Runs the real CLI in its own process, as a user would, to its end (asynchronously: a test server may share the
 * test's process). No SWEEPLAB_URL or SWEEPLAB_TOKEN leaks in from the environment unless `env` sets them.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SWEEPLAB_BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, SWEEPLAB_URL: "", SWEEPLAB_TOKEN: "", ...env },
    timeout: 240_000,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/**
 * Waits for a service to answer /healthz. Given the process that serves it, fails at once (with what it printed)
 * if that process exits first, instead of waiting out the timeout.
 */
export async function healthy(url: string, service?: ChildProcess & { output: () => string }): Promise<void> {
  await waitFor(`${url}/healthz`, async () => {
    if (service && (service.exitCode !== null || service.signalCode !== null)) {
      throw new Error(
        `the service exited (${service.exitCode ?? service.signalCode}) before it was healthy:\n${service.output()}`,
      );
    }
    return (await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined;
  });
}

/** Kills a worker host: the training process and the `sweeplab worker` process that supervises it. */
export function killWorkerHost(trainingPid: number): void {
  const stat = readFileSync(`/proc/${trainingPid}/stat`, "utf8");
  const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  process.kill(trainingPid, "SIGKILL");
  process.kill(parent, "SIGKILL");
}

/** A port the kernel just gave out as free (a random one could collide with a listener left by another test). */
export const freePort = (): number =>
  Number(
    execFileSync(process.execPath, [
      "-e",
      "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });",
    ]).toString(),
  );

export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  return (await (await fetch(url, init)).json()) as T;
}

export async function submitRun(
  url: string,
  config: unknown,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const response = await fetch(`${url}/v1/runs`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ config, ...extra }),
  });
  if (response.status !== 202) throw new Error(`submit: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
