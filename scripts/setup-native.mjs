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
//   3. a wheel fetched once with `pip download --no-deps` into ~/.cache/sweeplab/tensorflow and reused
//      (tensorflow-cpu for CPU, tensorflow for GPU; version SWEEPLAB_TENSORFLOW_VERSION, default 2.21.0);
//   4. the package's own stock download.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const TESTED_TENSORFLOW_VERSION = "2.21.0";
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const coreRequire = createRequire(join(repoRoot, "packages/core/package.json"));
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

function unpackWheel(py, wheel, into) {
  const marker = join(into, "include");
  if (existsSync(marker) && LIBRARIES.every((lib) => existsSync(join(into, lib)))) return into;
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  const script = [
    "import sys, zipfile, os",
    "wheel, out, prefixes, libs = sys.argv[1], sys.argv[2], sys.argv[3].split(','), sys.argv[4].split(',')",
    "z = zipfile.ZipFile(wheel)",
    "for name in z.namelist():",
    "    keep = any(name.startswith(p) for p in prefixes) or name in ['tensorflow/' + l for l in libs]",
    "    if keep and not name.endswith('/'):",
    "        target = os.path.join(out, name[len('tensorflow/'):])",
    "        os.makedirs(os.path.dirname(target), exist_ok=True)",
    "        with z.open(name) as src, open(target, 'wb') as dst:",
    "            while True:",
    "                chunk = src.read(1 << 22)",
    "                if not chunk: break",
    "                dst.write(chunk)",
  ].join("\n");
  execFileSync(py, ["-c", script, wheel, into, HEADER_PREFIXES.join(","), LIBRARIES.join(",")], {
    stdio: "inherit",
  });
  return into;
}

function wheelVersion(wheel) {
  return /-(\d+\.\d+\.\d+)-/.exec(wheel)?.[1] ?? "unknown";
}

function fromPipDownload(py, gpu) {
  const project = gpu ? "tensorflow" : "tensorflow-cpu";
  const folder = join(cacheRoot, "wheels");
  mkdirSync(folder, { recursive: true });
  const prefix = `${project.replace("-", "_")}-${tensorflowVersion}-`;
  let wheel = readdirSync(folder).find((f) => f.startsWith(prefix) && f.endsWith(".whl"));
  let source = `cached pip wheel ${wheel}`;
  if (!wheel) {
    const r = spawnSync(
      py,
      ["-m", "pip", "download", "--no-deps", "--quiet", `${project}==${tensorflowVersion}`, "-d", folder],
      { encoding: "utf8", timeout: 600_000 },
    );
    if (r.status !== 0) {
      log(`pip download with ${py} failed: ${r.stderr.trim().split("\n").pop()}`);
      return undefined;
    }
    wheel = readdirSync(folder).find((f) => f.startsWith(prefix) && f.endsWith(".whl"));
    if (!wheel) return undefined;
    source = `pip download of ${project}==${tensorflowVersion}`;
  }
  const dir = unpackWheel(py, join(folder, wheel), join(cacheRoot, `${project}-${tensorflowVersion}`));
  return { dir, version: tensorflowVersion, source };
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
    const dir = unpackWheel(py, wheel, join(cacheRoot, `wheel-${version}-${gpu ? "gpu" : "cpu"}`));
    return { dir, version, source: `TENSORFLOW_WHEEL=${wheel}` };
  }
  for (const candidate of pythons()) {
    const found = fromInstalledPython(candidate);
    if (found) return found;
  }
  for (const candidate of pythons()) {
    const found = fromPipDownload(candidate, gpu);
    if (found) return found;
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
  } else {
    log(`no TensorFlow found locally or through pip; trying ${name}'s stock download`);
    stockInstall(pkgDir);
  }
  if (!bindingLoads(pkgDir)) throw new Error(`${name} built, but its binding does not load`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(
    `built ${name} against TensorFlow ${tf?.version ?? "(stock)"} from ${tf?.source ?? "stock download"} in ${seconds}s`,
  );
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
}

main();
