// The packages as a user gets them: packed (pnpm pack), installed with npm from their tarballs into a project
// outside the workspace (no workspace links), typechecked in strict ES modules and in CommonJS, and run against a
// live service; the CLI installed globally into a temporary prefix. Prints the install sizes and times.
import { execFileSync, spawn } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./support/processes.ts";
import { startTestServer } from "./support/server.ts";

const ROOT = join(import.meta.dirname, "..");
const TOKEN = "packaging-token";
const bin = (pkg: string, name: string) => join(ROOT, "packages", pkg, "node_modules", ".bin", name);
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** Apparent bytes of every file under `dir`. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

/** Runs a command without blocking: the service under test answers from this process's event loop. */
function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, output: stdout + stderr }));
  });
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1000];
}

const NPM_QUIET = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];
const STRICT = {
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  types: ["node"],
  target: "ES2022",
  lib: ["ES2023", "DOM"],
  outDir: "dist",
};

describe("the packages from their tarballs, outside the workspace", () => {
  let work: string;
  let project: string;
  let tarballs: Record<"contract" | "sdk" | "cli", string>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "sweeplab-packages-"));
    const packs = join(work, "tarballs");
    mkdirSync(packs);
    const packed = {} as Record<"contract" | "sdk" | "cli", string>;
    for (const pkg of ["contract", "sdk", "cli"] as const) {
      // prepack builds each package (tsup for the contract and the SDK, esbuild for the CLI's bundle).
      execFileSync("pnpm", ["pack", "--pack-destination", packs], {
        cwd: join(ROOT, "packages", pkg),
        stdio: "pipe",
      });
      packed[pkg] = join(packs, `sweeplab-${pkg}-0.1.0.tgz`);
    }
    tarballs = packed;
    server = await startTestServer({ SWEEPLAB_TOKEN: TOKEN });
    env = { SWEEPLAB_URL: server.url, SWEEPLAB_TOKEN: TOKEN, CLOSED_URL: `http://127.0.0.1:${freePort()}` };
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("carries one version, the MIT license and the repository in every package and the spec", () => {
    const spec = JSON.parse(readFileSync(join(ROOT, "packages", "sdk", "openapi.json"), "utf8"));
    const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} sweeplab contributors\n/);
    expect(spec.info).toMatchObject({ version: "0.1.0", license: { identifier: "MIT" } });
    for (const pkg of readdirSync(join(ROOT, "packages"))) {
      const manifest = JSON.parse(readFileSync(join(ROOT, "packages", pkg, "package.json"), "utf8"));
      expect([pkg, manifest.version, manifest.license]).toEqual([pkg, spec.info.version, "MIT"]);
      if (manifest.private) continue;
      expect(manifest.repository, pkg).toEqual({
        type: "git",
        url: "git+https://github.com/sweeplab/sweeplab.git",
        directory: `packages/${pkg}`,
      });
      expect(manifest.engines, pkg).toEqual({ node: ">=20.19" });
      expect(readFileSync(join(ROOT, "packages", pkg, "LICENSE"), "utf8"), pkg).toBe(license);
    }
    for (const tarball of Object.values(tarballs)) {
      expect(execFileSync("tar", ["tzf", tarball], { encoding: "utf8" }).split("\n")).toContain(
        "package/LICENSE",
      );
    }
  });

  it("passes publint and arethetypeswrong from the packed tarballs", async () => {
    for (const tarball of [tarballs.contract, tarballs.sdk]) {
      const lint = await run(bin("sdk", "publint"), [tarball]);
      expect(lint.code, lint.output).toBe(0);
      expect(lint.stdout).toContain("All good!");
      const types = await run(bin("sdk", "attw"), [tarball, "--format", "ascii"]);
      expect(types.code, types.output).toBe(0);
      expect(types.output).toContain("No problems found");
    }
  });

  it("installs the SDK with npm into a fresh project in seconds, under 5 MB: ky beside it, no zod, no TensorFlow.js", async () => {
    project = join(work, "consumer");
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    const [install, seconds] = await timed(() =>
      run("npm", ["install", ...NPM_QUIET, tarballs.sdk], { cwd: project }),
    );
    expect(install.code, install.output).toBe(0);
    const modules = join(project, "node_modules");
    const bytes = bytesUnder(modules);
    console.log(`packaging: SDK install ${seconds.toFixed(1)} s, node_modules ${mb(bytes)}`);
    // The bar. (zod@4 alone installs 6.2 MB; the SDK bundles the contract's code and the part of zod it
    // checks events with instead: 7.5 MB with zod and the contract as dependencies, 522 MB with core.)
    expect(bytes).toBeLessThan(5e6);
    expect(readdirSync(modules).sort()).toEqual([".package-lock.json", "@sweeplab", "ky"]);
    expect(readdirSync(join(modules, "@sweeplab"))).toEqual(["sdk"]);
    // Its declarations name no zod type: the strict consumers below (skipLibCheck off) would fail without zod.
    const dist = join(modules, "@sweeplab", "sdk", "dist");
    for (const file of readdirSync(dist).filter((f) => /\.d\.c?ts$/.test(f))) {
      expect(readFileSync(join(dist, file), "utf8"), file).not.toMatch(/from ["']zod|@sweeplab\/contract/);
    }
    // The consumer's type checks need Node's types; they are the project's own, not the SDK's.
    const types = await run("npm", ["install", ...NPM_QUIET, "-D", "@types/node@20.19.25"], { cwd: project });
    expect(types.code, types.output).toBe(0);
  }, 240_000);

  it("typechecks a strict ES-module consumer and the README's example, and runs both against the service", async () => {
    const esm = join(project, "esm");
    mkdirSync(esm);
    cpSync(join(import.meta.dirname, "packaging", "consumer-esm.ts"), join(esm, "consumer.ts"));
    const readme = readFileSync(join(ROOT, "packages", "sdk", "README.md"), "utf8");
    const example = /<!-- sdk-example -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, "packages/sdk/README.md has an sdk-example block").toBeDefined();
    writeFileSync(join(esm, "example.ts"), example!);
    writeFileSync(
      join(esm, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { ...STRICT, module: "NodeNext", moduleResolution: "NodeNext" } }),
    );
    const check = await run(process.execPath, [TSC, "-p", esm]);
    expect(check.code, check.output).toBe(0);

    const consumer = await run(process.execPath, [join(esm, "dist", "consumer.js")], { cwd: esm, env });
    expect(consumer.code, consumer.output).toBe(0);
    const seen = JSON.parse(consumer.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
    expect(seen).toMatchObject({
      run: { status: "succeeded", terminal: true },
      predictions: [10],
      sweep: { status: "succeeded", trials: 2, last: "sweep" },
      auth: { status: 401, code: "UNAUTHORIZED" },
      refused: { connection: true, transport: true, code: "UNREACHABLE", url: `${env.CLOSED_URL}/healthz` },
      checked: { accepted: "step", refused: true },
    });
    const streamed = (seen.run as { streamed: string[] }).streamed;
    expect(streamed[0]).toBe("queued");
    expect(streamed.at(-1)).toBe("finished");
    expect(streamed).toContain("eval");

    const readmeRun = await run(process.execPath, [join(esm, "dist", "example.js")], { cwd: esm, env });
    expect(readmeRun.code, readmeRun.output).toBe(0);
    const lines = readmeRun.stdout.trim().split("\n");
    expect(lines.filter((l) => /^step (100|200): validation accuracy 0\.\d+/.test(l))).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(/^succeeded 0\.\d+$/));
    expect(lines.at(-1)).toMatch(/^VALIDATION_FAILED: .*config\.steps/);
  }, 300_000);

  it("typechecks and runs a CommonJS consumer (require)", async () => {
    const cjs = join(project, "cjs");
    mkdirSync(cjs);
    writeFileSync(join(cjs, "package.json"), JSON.stringify({ type: "commonjs" }));
    cpSync(join(import.meta.dirname, "packaging", "consumer-cjs.ts"), join(cjs, "consumer.ts"));
    writeFileSync(
      join(cjs, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { ...STRICT, module: "NodeNext", moduleResolution: "NodeNext" } }),
    );
    const check = await run(process.execPath, [TSC, "-p", cjs]);
    expect(check.code, check.output).toBe(0);
    expect(readFileSync(join(cjs, "dist", "consumer.js"), "utf8")).toContain('require("@sweeplab/sdk")');
    const consumer = await run(process.execPath, [join(cjs, "dist", "consumer.js")], { cwd: cjs, env });
    expect(consumer.code, consumer.output).toBe(0);
    expect(JSON.parse(consumer.stdout.trim())).toEqual({
      version: "0.1.0",
      store: "sqlite",
      listed: 1,
      refused: true,
      notFound: "RUN_NOT_FOUND",
    });
  }, 120_000);

  it("takes the contract beside the SDK for its zod schemas (ES modules)", async () => {
    const install = await run("npm", ["install", ...NPM_QUIET, tarballs.contract], { cwd: project });
    expect(install.code, install.output).toBe(0);
    const schemas = join(project, "schemas");
    mkdirSync(schemas);
    cpSync(join(import.meta.dirname, "packaging", "consumer-schemas.ts"), join(schemas, "consumer.ts"));
    writeFileSync(
      join(schemas, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { ...STRICT, module: "NodeNext", moduleResolution: "NodeNext" } }),
    );
    const check = await run(process.execPath, [TSC, "-p", schemas]);
    expect(check.code, check.output).toBe(0);
    const consumer = await run(process.execPath, [join(schemas, "dist", "consumer.js")], {
      cwd: schemas,
      env,
    });
    expect(consumer.code, consumer.output).toBe(0);
    expect(JSON.parse(consumer.stdout.trim())).toEqual({ defaultSteps: 1000, sent: 10, status: "succeeded" });
  }, 180_000);

  it("installs the CLI globally under 10 MB; its remote commands work; serve says what to install", async () => {
    const prefix = join(work, "global");
    const [install, seconds] = await timed(() =>
      run("npm", ["install", "-g", "--prefix", prefix, ...NPM_QUIET, tarballs.cli], { cwd: work }),
    );
    expect(install.code, install.output).toBe(0);
    const bytes = bytesUnder(prefix);
    console.log(`packaging: CLI global install ${seconds.toFixed(1)} s, ${mb(bytes)}`);
    expect(bytes).toBeLessThan(10e6);
    const sweeplab = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      run(join(prefix, "bin", "sweeplab"), args, {
        cwd: work,
        // No workspace on the path: HOME and XDG_CONFIG_HOME point at an empty folder.
        env: {
          HOME: work,
          XDG_CONFIG_HOME: join(work, "xdg"),
          SWEEPLAB_URL: "",
          SWEEPLAB_TOKEN: "",
          ...extra,
        },
      });
    const remote = { SWEEPLAB_URL: server.url, SWEEPLAB_TOKEN: TOKEN };

    const status = await sweeplab(["status", "--json"], remote);
    expect(status.code, status.output).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ store: "sqlite" });
    const listed = await sweeplab(["runs", "ls", "--json", "--limit", "1"], remote);
    expect(listed.code, listed.output).toBe(0);
    const [first] = JSON.parse(listed.stdout) as { id: string }[];
    expect(listed.stderr).toMatch(/^more: sweeplab runs ls --json --limit 1 --cursor \S+/);
    const shown = await sweeplab(["runs", "show", first!.id, "--json"], remote);
    expect(shown.code, shown.output).toBe(0);
    expect((await sweeplab(["sweep", "ls", "--json"], remote)).code).toBe(0);
    expect((await sweeplab(["completion", "bash"])).stdout).toContain(
      "complete -o default -F _sweeplab sweeplab",
    );

    const serve = await sweeplab(["serve"]);
    expect(serve.code).toBe(7);
    expect(serve.stderr.trim().split("\n")).toHaveLength(1);
    expect(serve.stderr).toMatch(/^SERVER_NOT_INSTALLED: /);
    // The command that installs the server, at the CLI's version (test/packages-server.test.ts installs it).
    expect(serve.stderr).toContain("npm install -g @sweeplab/server@0.1.0 ");
    const refused = await sweeplab(["runs", "ls"], { SWEEPLAB_URL: server.url, SWEEPLAB_TOKEN: "wrong" });
    expect([refused.code, refused.stderr.trim()]).toEqual([3, expect.stringMatching(/^UNAUTHORIZED: /)]);
    const missing = await sweeplab(["runs", "show", "run_nope"], remote);
    expect(missing.code).toBe(4);
    const unreachable = await sweeplab(["status"], { SWEEPLAB_URL: env.CLOSED_URL });
    expect(unreachable.code).toBe(5);
    expect(unreachable.stderr.trim()).toMatch(
      new RegExp(`^UNREACHABLE: cannot reach ${env.CLOSED_URL}/v1/status`),
    );
  }, 240_000);
});
