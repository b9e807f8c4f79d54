#!/usr/bin/env node
// Builds the native TensorFlow.js bindings (@tensorflow/tfjs-node, and @tensorflow/tfjs-node-gpu when
// SWEEPLAB_GPU=1) against a TensorFlow C library that this host has or can get through pip, instead of the
// packages' stock install, which downloads a fixed libtensorflow from a host that is often unreachable (and, for
// the GPU package, one built for CUDA 11.2 only).
//
// Runs as the root `postinstall`. Idempotent: when the binding already loads it only says so. It never fails
// the install: on any problem it prints why and that the wasm backend will be used.
//
// Where libtensorflow comes from, first match wins:
//   1. TENSORFLOW_DIR (a folder holding libtensorflow_cc.so.2, libtensorflow_framework.so.2 and include/)
//      or TENSORFLOW_WHEEL (a TensorFlow .whl file);
//   2. a Python TensorFlow that is already installed (`python3 -c "import tensorflow"`);
//   3. a wheel fetched once with `pip download --no-deps --only-binary=:all: --require-hashes` into
//      ~/.cache/sweeplab/tensorflow and reused (tensorflow-cpu for CPU, tensorflow for GPU; version
//      SWEEPLAB_TENSORFLOW_VERSION, default 2.21.0). The wheel must match a SHA-256 pinned in native-wheel.mjs
//      for that version, or SWEEPLAB_TENSORFLOW_SHA256 set with the version; a cached wheel is checked again
//      before each reuse (and deleted when it does not match);
//   4. only with SWEEPLAB_ALLOW_UNVERIFIED_TFJS_DOWNLOAD=1: the package's own stock download, which fetches
//      libtensorflow with no checksum from a host that environment variables can redirect. Off by default.
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expectedHashes, pipDownloadArgs, sha256File, unpackWheel, verifyWheel } from "./native-wheel.mjs";

const TESTED_TENSORFLOW_VERSION = "2.21.0";
// In a checkout this file is scripts/ at the root; in @sweeplab/core's package (its prepack copies it) native/.
const here = dirname(fileURLToPath(import.meta.url));
const coreDir = existsSync(join(here, "../packages/core/package.json"))
  ? resolve(here, "../packages/core")
  : resolve(here, "..");
const coreRequire = createRequire(join(coreDir, "package.json"));
const cacheRoot = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "sweeplab", "tensorflow");
const tensorflowVersion = process.env.SWEEPLAB_TENSORFLOW_VERSION ?? TESTED_TENSORFLOW_VERSION;
// Only what the binding includes: the C API and the few headers it pulls in.
const HEADER_PREFIXES = [
  "tensorflow/include/tensorflow/c/",
  "tensorflow/include/tensorflow/core/platform/",
  "tensorflow/include/tsl/platform/",
  "tensorflow/include/xla/tsl/c/",
];
const LIBRARIES = ["libtensorflow_cc.so.2", "libtensorflow_framework.so.2"];

function log(message) {
  console.log(`sweeplab native: ${message}`);
}

function packageDir(name) {
  try {
    return dirname(coreRequire.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

function bindingPath(pkgDir) {
  return join(pkgDir, "lib", "napi-v8", "tfjs_binding.node");
}

/** Loads the binding in a child process so that a crash there cannot take the install down. */
function bindingLoads(pkgDir) {
  if (!existsSync(bindingPath(pkgDir))) return false;
  const probe = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(bindingPath(pkgDir))})`], {
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2" },
    stdio: "ignore",
    timeout: 60_000,
  });
  return probe.status === 0;
}

/** Debian's own python3 first, then whatever python3 is on PATH. */
function pythons() {
  return ["/usr/bin/python3", "python3"].filter(
    (candidate) => spawnSync(candidate, ["--version"], { stdio: "ignore" }).status === 0,
  );
}

/** A folder with the two libraries and include/ (the layout of an unpacked wheel's tensorflow/ folder). */
function fromInstalledPython(py) {
  const r = spawnSync(
    py,
    ["-c", "import os, tensorflow as tf; print(os.path.dirname(tf.__file__)); print(tf.__version__)"],
    { encoding: "utf8", env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" }, timeout: 120_000 },
  );
  if (r.status !== 0) return undefined;
  const [dir, version] = r.stdout.trim().split("\n").slice(-2);
  if (!dir || !LIBRARIES.every((lib) => existsSync(join(dir, lib)))) return undefined;
  return { dir, version, source: `installed Python TensorFlow at ${dir}` };
}

const WHEEL_PARTS = { headerPrefixes: HEADER_PREFIXES, libraries: LIBRARIES };

function wheelVersion(wheel) {
  return /-(\d+\.\d+\.\d+)-/.exec(wheel)?.[1] ?? "unknown";
}

function fromPipDownload(py, gpu) {
  const project = gpu ? "tensorflow" : "tensorflow-cpu";
  const hashes = expectedHashes(project, tensorflowVersion, process.env.SWEEPLAB_TENSORFLOW_SHA256);
  const folder = join(cacheRoot, "wheels");
  mkdirSync(folder, { recursive: true });
  const prefix = `${project.replace("-", "_")}-${tensorflowVersion}-`;
  const cached = () => readdirSync(folder).find((f) => f.startsWith(prefix) && f.endsWith(".whl"));
  let wheel = cached();
  let source = `cached pip wheel ${wheel}`;
  if (wheel && !hashes.includes(sha256File(join(folder, wheel)))) {
    log(`cached ${wheel} does not match the pinned SHA-256; deleting it and downloading again`);
    rmSync(join(folder, wheel));
    wheel = undefined;
  }
  if (!wheel) {
    const requirements = join(tmpdir(), `sweeplab-tensorflow-${process.pid}.txt`);
    const r = spawnSync(py, pipDownloadArgs(project, tensorflowVersion, hashes, folder, requirements), {
      encoding: "utf8",
      timeout: 600_000,
    });
    rmSync(requirements, { force: true });
    if (r.status !== 0) {
      log(`pip download with ${py} failed: ${r.stderr.trim().split("\n").pop()}`);
      return undefined;
    }
    wheel = cached();
    if (!wheel) return undefined;
    source = `pip download of ${project}==${tensorflowVersion}`;
  }
  const path = join(folder, wheel);
  const hash = verifyWheel(path, hashes);
  const dir = unpackWheel(py, path, hash, join(cacheRoot, `${project}-${tensorflowVersion}`), WHEEL_PARTS);
  return { dir, version: tensorflowVersion, source: `${source} (SHA-256 ${hash.slice(0, 12)}… verified)` };
}

function findTensorflow(gpu) {
  if (process.env.TENSORFLOW_DIR) {
    const dir = resolve(process.env.TENSORFLOW_DIR);
    return { dir, version: "from TENSORFLOW_DIR", source: `TENSORFLOW_DIR=${dir}` };
  }
  const [py] = pythons();
  if (process.env.TENSORFLOW_WHEEL) {
    if (!py) throw new Error("TENSORFLOW_WHEEL is set but no python3 is available to unpack it");
    const wheel = resolve(process.env.TENSORFLOW_WHEEL);
    const version = wheelVersion(wheel);
    const hash = sha256File(wheel);
    const dir = unpackWheel(
      py,
      wheel,
      hash,
      join(cacheRoot, `wheel-${version}-${gpu ? "gpu" : "cpu"}`),
      WHEEL_PARTS,
    );
    return { dir, version, source: `TENSORFLOW_WHEEL=${wheel} (SHA-256 ${hash}, yours to check)` };
  }
  for (const candidate of pythons()) {
    const found = fromInstalledPython(candidate);
    if (found) return found;
  }
  for (const candidate of pythons()) {
    try {
      const found = fromPipDownload(candidate, gpu);
      if (found) return found;
    } catch (error) {
      log(`pip wheel with ${candidate}: ${error.message}`);
    }
  }
  return undefined;
}

function linkDeps(pkgDir, tf) {
  const deps = join(pkgDir, "deps");
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, "lib"), { recursive: true });
  for (const lib of LIBRARIES) copyFileSync(join(tf.dir, lib), join(deps, "lib", lib));
  symlinkSync("libtensorflow_cc.so.2", join(deps, "lib", "libtensorflow.so"));
  symlinkSync("libtensorflow_framework.so.2", join(deps, "lib", "libtensorflow_framework.so"));
  symlinkSync(join(tf.dir, "include"), join(deps, "include"));
}

function build(pkgDir) {
  const pkgRequire = createRequire(join(pkgDir, "package.json"));
  const preGyp = pkgRequire.resolve("@mapbox/node-pre-gyp/bin/node-pre-gyp");
  execFileSync(process.execPath, [preGyp, "install", "--build-from-source", "--nodedir=/usr"], {
    cwd: pkgDir,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, npm_config_nodedir: "/usr" },
  });
}

function stockInstall(pkgDir) {
  execFileSync(process.execPath, [join(pkgDir, "scripts", "install.js")], { cwd: pkgDir, stdio: "inherit" });
}

function setUp(name, gpu) {
  const pkgDir = packageDir(name);
  if (!pkgDir) return log(`${name} is not installed; skipped`);
  if (bindingLoads(pkgDir)) return log(`${name} binding already loads; nothing to do`);
  const started = Date.now();
  const tf = findTensorflow(gpu);
  if (tf) {
    linkDeps(pkgDir, tf);
    build(pkgDir);
  } else if (process.env.SWEEPLAB_ALLOW_UNVERIFIED_TFJS_DOWNLOAD === "1") {
    log(`UNVERIFIED: no TensorFlow found; running ${name}'s stock download (no checksum), as asked`);
    stockInstall(pkgDir);
  } else {
    throw new Error(
      "no verified TensorFlow found locally or through pip (SWEEPLAB_ALLOW_UNVERIFIED_TFJS_DOWNLOAD=1 allows the stock, unchecked download)",
    );
  }
  if (!bindingLoads(pkgDir)) throw new Error(`${name} built, but its binding does not load`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(
    `built ${name} against TensorFlow ${tf?.version ?? "(stock)"} from ${tf?.source ?? "stock download"} in ${seconds}s`,
  );
}

const GRAPH_SOURCE = join(coreDir, "native/graph.c");
const GRAPH_ADDON = join(coreDir, "native/build/sweeplab_graph.node");

/**
 * Compiles core's graph addon (packages/core/native/graph.c: TensorFlow's C API for graphs, gradients and
 * sessions) against the libtensorflow that tfjs-node's binding was just built with, so one copy is loaded. Needs
 * a C compiler and Node's headers (the same as the binding's build). Rebuilt when the source is newer.
 */
function buildGraphAddon() {
  const pkgDir = packageDir("@tensorflow/tfjs-node");
  if (!pkgDir || !existsSync(join(pkgDir, "deps", "lib", LIBRARIES[0]))) {
    return log("graph addon skipped: the tensorflow binding was not built here (training runs op by op)");
  }
  if (existsSync(GRAPH_ADDON) && statSync(GRAPH_ADDON).mtimeMs >= statSync(GRAPH_SOURCE).mtimeMs) {
    if (addonLoads()) return log("graph addon already built; nothing to do");
  }
  const libDir = realpathSync(join(pkgDir, "deps", "lib"));
  const nodeHeaders = ["/usr/include/node", join(dirname(process.execPath), "..", "include", "node")].find(
    (d) => existsSync(join(d, "node_api.h")),
  );
  if (!nodeHeaders) return log("graph addon skipped: Node's headers (node_api.h) were not found");
  mkdirSync(dirname(GRAPH_ADDON), { recursive: true });
  const started = Date.now();
  const compiler = process.env.CC || "cc";
  const r = spawnSync(
    compiler,
    [
      "-shared",
      "-fPIC",
      "-O2",
      "-Wall",
      "-DNODE_GYP_MODULE_NAME=sweeplab_graph",
      `-I${nodeHeaders}`,
      `-I${join(pkgDir, "deps", "include")}`,
      GRAPH_SOURCE,
      `-L${libDir}`,
      "-l:libtensorflow_cc.so.2",
      "-l:libtensorflow_framework.so.2",
      `-Wl,-rpath,${libDir}`,
      "-o",
      GRAPH_ADDON,
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.trim().split("\n").pop();
    return log(`graph addon not built (${compiler}: ${why}); training runs op by op`);
  }
  if (!addonLoads()) return log("graph addon built but does not load; training runs op by op");
  log(`built the graph addon in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

function addonLoads() {
  const probe = spawnSync(
    process.execPath,
    ["-e", `require(${JSON.stringify(GRAPH_ADDON)}).tensorflowVersion()`],
    {
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2" },
      stdio: "ignore",
      timeout: 60_000,
    },
  );
  return probe.status === 0;
}

function main() {
  if (process.env.SWEEPLAB_BACKEND === "wasm") return log("SWEEPLAB_BACKEND=wasm; native setup skipped");
  const targets = [["@tensorflow/tfjs-node", false]];
  if (process.env.SWEEPLAB_GPU === "1") targets.push(["@tensorflow/tfjs-node-gpu", true]);
  for (const [name, gpu] of targets) {
    try {
      setUp(name, gpu);
    } catch (error) {
      const reason =
        error instanceof Error ? (error.stderr?.toString().trim().split("\n").pop() ?? error.message) : error;
      log(`could not set up ${name}: ${reason}`);
      log(gpu ? "the GPU backend will be unavailable" : "the wasm backend will be used instead");
    }
  }
  buildGraphAddon();
}

main();
