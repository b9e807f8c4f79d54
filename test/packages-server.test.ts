// The service as a user installs it from the tarballs, outside the workspace: the CLI, the server, core and the
// contract with npm into one folder (one hoisted tree, so the server, core and the contract share one zod), the
// native pieces built after (better-sqlite3 against Node's headers; tfjs-node's binding and core's graph addon
// from the verified TensorFlow wheel, by core's postinstall), then `sweeplab serve` until healthy and an embedded
// `sweeplab train` of a few steps. npm downloads the server's dependencies (about 600 MB) and compiles SQLite: several
// minutes, so it runs in CI (CI or SWEEPLAB_SERVER_PACKAGE_FLOW=1) and is skipped elsewhere.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./support/server.ts";

const ROOT = join(import.meta.dirname, "..");
const VERSION = "0.1.0";
const enabled = Boolean(process.env.CI) || process.env.SWEEPLAB_SERVER_PACKAGE_FLOW === "1";
if (!enabled)
  console.warn("server package flow skipped: set CI or SWEEPLAB_SERVER_PACKAGE_FLOW=1 (several minutes)");
/** The wheel core's postinstall builds the native backend from (the root postinstall caches it). */
const WHEELS = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"),
  "sweeplab",
  "tensorflow",
  "wheels",
);
const nativeExpected = existsSync(WHEELS) && readdirSync(WHEELS).some((f) => f.endsWith(".whl"));
const NPM_QUIET = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<{ code: number | null; output: string; seconds: number }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output, seconds: (performance.now() - started) / 1000 }));
  });
}

describe.skipIf(!enabled)("the service from its tarballs, outside the workspace", () => {
  let work: string;
  let app: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "sweeplab-server-package-"));
    app = join(work, "app");
    mkdirSync(app);
    const packs = join(work, "tarballs");
    for (const pkg of ["contract", "core", "server", "cli"]) {
      execFileSync("pnpm", ["pack", "--pack-destination", packs], {
        cwd: join(ROOT, "packages", pkg),
        stdio: "pipe",
      });
    }
    // Nothing of the workspace on the way: HOME and the data folder are the test's own.
    env = {
      HOME: work,
      XDG_CONFIG_HOME: join(work, "xdg"),
      SWEEPLAB_DATA_DIR: join(work, "data"),
      SWEEPLAB_URL: "",
      SWEEPLAB_TOKEN: "",
      WORKERS: "1",
      // node-gyp builds better-sqlite3 against Node's own headers when its prebuilt binary cannot be fetched.
      ...(existsSync("/usr/include/node/node_api.h") && !process.env.npm_config_nodedir
        ? { npm_config_nodedir: "/usr" }
        : {}),
    };
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("installs with npm into one folder, then builds its native pieces", async () => {
    const tarball = (pkg: string) => join(work, "tarballs", `sweeplab-${pkg}-${VERSION}.tgz`);
    // Scripts off for the install: tfjs-node's own script downloads an unverified libtensorflow (and when it
    // cannot, npm drops the package); `npm rebuild` then runs the two builds that are wanted.
    const install = await run(
      "npm",
      ["install", "--ignore-scripts", ...NPM_QUIET, ...["contract", "core", "server", "cli"].map(tarball)],
      { cwd: app, env: { ...env, HOME: homedir() } },
    );
    expect(install.code, install.output).toBe(0);
    const rebuild = await run(
      "npm",
      ["rebuild", "--foreground-scripts", "better-sqlite3", "@sweeplab/core"],
      {
        cwd: app,
        env: { ...env, HOME: homedir() },
      },
    );
    expect(rebuild.code, rebuild.output).toBe(0);
    const modules = join(app, "node_modules");
    console.log(
      `packaging: server install ${install.seconds.toFixed(1)} s, native build ${rebuild.seconds.toFixed(1)} s, ` +
        `${(bytesUnder(modules) / 1e6).toFixed(0)} MB`,
    );
    // One zod: the server extends zod's prototype (zod-openapi) and reads the contract's schemas through it.
    expect(existsSync(join(modules, "zod", "package.json"))).toBe(true);
    for (const pkg of ["server", "core", "contract"]) {
      expect(existsSync(join(modules, "@sweeplab", pkg, "node_modules", "zod")), pkg).toBe(false);
    }
    if (nativeExpected) {
      expect(rebuild.output).toMatch(/sweeplab native: built @tensorflow\/tfjs-node against TensorFlow/);
      expect(existsSync(join(modules, "@sweeplab", "core", "native", "build", "sweeplab_graph.node"))).toBe(
        true,
      );
    }
  }, 900_000);

  it("serves: `sweeplab serve` answers /healthz and /v1/status", async () => {
    const child = spawn(
      join(app, "node_modules", ".bin", "sweeplab"),
      ["serve", "--port", "0", "--workers", "1"],
      {
        cwd: work,
        env: { ...process.env, ...env },
      },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    try {
      const url = await waitFor("sweeplab serve to listen", async () => {
        if (child.exitCode !== null) throw new Error(`sweeplab serve exited ${child.exitCode}: ${output}`);
        return /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      });
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const status = (await (await fetch(`${url}/v1/status`)).json()) as Record<string, unknown>;
      expect(status).toMatchObject({ version: VERSION, store: "sqlite" });
    } finally {
      child.kill("SIGTERM");
    }
  }, 180_000);

  it("trains embedded: `sweeplab train` of a few steps, on the native backend when the wheel is there", async () => {
    const train = await run(
      join(app, "node_modules", ".bin", "sweeplab"),
      [
        "train",
        "--steps",
        "20",
        "--depth",
        "1",
        "--width",
        "16",
        "--eval-every",
        "10",
        "--validation-size",
        "500",
        "--json",
      ],
      { cwd: work, env: { ...env, SWEEPLAB_DATA_DIR: join(work, "embedded") } },
    );
    expect(train.code, train.output).toBe(0);
    const finished = JSON.parse(train.output.slice(train.output.indexOf("{"))) as {
      status: string;
      step: number;
      environment: { backend: { name: string } };
    };
    console.log(
      `packaging: embedded train ${train.seconds.toFixed(1)} s on ${finished.environment.backend.name}`,
    );
    expect(finished).toMatchObject({ status: "succeeded", step: 20 });
    if (nativeExpected) expect(finished.environment.backend.name).toBe("tensorflow");
  }, 300_000);
});
