// Checking and unpacking TensorFlow wheels for setup-native.mjs: a wheel is used only when its SHA-256 is one
// pinned for its version, and it is unpacked only inside its target folder.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * SHA-256 of the wheels sweeplab was tested with, by project and version. Checked against the package index's
 * hash for tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl. Another version (or another platform's
 * wheel) needs SWEEPLAB_TENSORFLOW_VERSION and SWEEPLAB_TENSORFLOW_SHA256 set together.
 */
export const PINNED_WHEELS = {
  "tensorflow-cpu": {
    "2.21.0": ["2b847d217b02ee7731ed91431daf3250daa0196c3c94614d23be27232e6e5b6c"],
  },
};

/** The hashes a wheel of `project==version` must have: the override if given, else the pinned ones. */
export function expectedHashes(project, version, override) {
  if (override) {
    const hashes = override.split(",").map((h) => h.trim().toLowerCase());
    if (hashes.some((h) => !/^[0-9a-f]{64}$/.test(h)))
      throw new Error("SWEEPLAB_TENSORFLOW_SHA256 must be SHA-256 hex digests, comma-separated");
    return hashes;
  }
  const pinned = PINNED_WHEELS[project]?.[version];
  if (!pinned)
    throw new Error(
      `no pinned SHA-256 for ${project}==${version}: set SWEEPLAB_TENSORFLOW_SHA256 with SWEEPLAB_TENSORFLOW_VERSION`,
    );
  return pinned;
}

export function sha256File(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Throws unless the file's SHA-256 is one of `hashes`. */
export function verifyWheel(path, hashes) {
  const actual = sha256File(path);
  if (!hashes.includes(actual))
    throw new Error(`${path}: SHA-256 ${actual} is not the expected ${hashes.join(" or ")}`);
  return actual;
}

/** pip download of exactly one wheel, with pip checking the hash (--require-hashes) and no source packages. */
export function pipDownloadArgs(project, version, hashes, folder, requirementsFile) {
  writeFileSync(
    requirementsFile,
    `${project}==${version} ${hashes.map((h) => `--hash=sha256:${h}`).join(" ")}\n`,
  );
  return [
    "-m",
    "pip",
    "download",
    "--no-deps",
    "--only-binary=:all:",
    "--require-hashes",
    "--quiet",
    "-r",
    requirementsFile,
    "-d",
    folder,
  ];
}

// Python's zipfile reads the wheel; every entry's resolved target must stay inside `out`, and only regular
// files are written (no links, no absolute names, no `..`).
const UNPACK = `
import os, stat, sys, zipfile
wheel, out, prefixes, libs = sys.argv[1], sys.argv[2], sys.argv[3].split(','), sys.argv[4].split(',')
root = os.path.realpath(out)
z = zipfile.ZipFile(wheel)
for info in z.infolist():
    name = info.filename
    keep = any(name.startswith(p) for p in prefixes) or name in ['tensorflow/' + l for l in libs]
    if not keep or name.endswith('/'):
        continue
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        sys.exit('refusing symbolic link entry ' + name)
    relative = name[len('tensorflow/'):]
    target = os.path.realpath(os.path.join(root, relative))
    if os.path.isabs(relative) or '..' in relative.split('/') or os.path.commonpath([root, target]) != root:
        sys.exit('refusing entry outside the target folder: ' + name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with z.open(info) as src, open(target, 'wb') as dst:
        while True:
            chunk = src.read(1 << 22)
            if not chunk:
                break
            dst.write(chunk)
`;

/**
 * Unpacks the headers and libraries of a verified wheel into `into`, reusing an earlier unpack only when it came
 * from the same wheel (by hash). Throws, leaving nothing, when an entry would land outside `into`.
 */
export function unpackWheel(py, wheel, wheelHash, into, { headerPrefixes, libraries }) {
  const marker = join(into, ".wheel-sha256");
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === wheelHash) return into;
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  try {
    execFileSync(py, ["-c", UNPACK, wheel, into, headerPrefixes.join(","), libraries.join(",")], {
      stdio: ["ignore", "inherit", "pipe"],
    });
  } catch (error) {
    rmSync(into, { recursive: true, force: true });
    throw new Error(`unpacking ${wheel}: ${error.stderr?.toString().trim() || error.message}`);
  }
  writeFileSync(marker, `${wheelHash}\n`);
  return into;
}
