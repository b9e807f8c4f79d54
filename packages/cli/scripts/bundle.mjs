// The CLI's bundle: src/main.ts with commander, the SDK, ky and core's contract in one ES module
// (dist/sweeplab.mjs), so `sweeplab` starts without compiling TypeScript. The server stays out of it: commands
// that run a service or workers import @sweeplab/server from source (through tsx) when they need it.
//
// `pnpm --filter @sweeplab/cli build` (run by the root postinstall) writes it; bin/sweeplab.mjs rebuilds it
// first whenever a file it was built from changed since, so development never runs stale code.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLE = join(PACKAGE_DIR, "dist", "sweeplab.mjs");
/** The workspace files the bundle was built from (paths relative to the package), for the freshness check. */
export const INPUTS = join(PACKAGE_DIR, "dist", "sweeplab.inputs.json");

/** Packages loaded at run time rather than bundled: the server (TypeScript, native modules) and tsx, which loads it. */
const EXTERNAL = ["@sweeplab/server", "tsx", "tsx/*"];

/** Builds the bundle; each file is written under a temporary name and renamed, so a reader never sees half of one. */
export async function buildCli() {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(PACKAGE_DIR, "src", "main.ts")],
    absWorkingDir: PACKAGE_DIR,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    legalComments: "none",
    external: EXTERNAL,
    // commander is CommonJS: its require() of Node's modules needs a real require in an ES module.
    banner: {
      js: 'import { createRequire as $cr } from "node:module"; const require = $cr(import.meta.url);',
    },
    metafile: true,
    write: false,
    outfile: BUNDLE,
    logLevel: "warning",
  });
  // This script too: a change to how the bundle is built is a change to the bundle.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((file) => !file.includes("node_modules/"))
    .map((file) => relative(PACKAGE_DIR, resolve(PACKAGE_DIR, file)))
    .concat(relative(PACKAGE_DIR, fileURLToPath(import.meta.url)));
  mkdirSync(dirname(BUNDLE), { recursive: true });
  const [output] = result.outputFiles;
  // Inputs first: a bundle newer than its inputs list would be judged by the previous build's list.
  writeAtomically(INPUTS, JSON.stringify(inputs));
  writeAtomically(BUNDLE, output.contents);
}

/** True when the bundle exists and no workspace file it was built from is newer than it. */
export function bundleIsFresh(packageDir = PACKAGE_DIR) {
  const bundle = join(packageDir, "dist", "sweeplab.mjs");
  try {
    const builtAtMs = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(join(packageDir, "dist", "sweeplab.inputs.json"), "utf8"));
    return inputs.every((file) => statSync(join(packageDir, file)).mtimeMs <= builtAtMs);
  } catch {
    // No bundle, no inputs list, or an input deleted since: build again.
    return false;
  }
}

function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli();
  console.log(`built ${relative(process.cwd(), BUNDLE)}`);
}
