import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

interface NativeWheel {
  PINNED_WHEELS: Record<string, Record<string, string[]>>;
  expectedHashes(project: string, version: string, override?: string): string[];
  sha256File(path: string): string;
  verifyWheel(path: string, hashes: string[]): string;
  pipDownloadArgs(project: string, version: string, hashes: string[], folder: string, file: string): string[];
  unpackWheel(
    py: string,
    wheel: string,
    hash: string,
    into: string,
    parts: { headerPrefixes: string[]; libraries: string[] },
  ): string;
}
const modulePath = join(process.cwd(), "../scripts/native-wheel.mjs");
const wheels = (await import(modulePath)) as NativeWheel;

const PARTS = { headerPrefixes: ["tensorflow/include/tensorflow/c/"], libraries: ["libtensorflow_cc.so.2"] };

/** A zip with the given entries, written by Python's zipfile (the same reader the unpacker uses). */
function zipWith(entries: Record<string, string>): string {
  const file = join(mkdtempSync(join(tmpdir(), "sweeplab-wheel-")), "tf.whl");
  const script =
    "import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w')\n" +
    "for name, text in json.loads(sys.argv[2]).items(): z.writestr(name, text)\nz.close()";
  execFileSync("python3", ["-c", script, file, JSON.stringify(entries)]);
  return file;
}

describe("native setup: wheel verification", () => {
  it("pins the tested tensorflow-cpu wheel and needs a hash with any other version", () => {
    expect(wheels.expectedHashes("tensorflow-cpu", "2.21.0")).toEqual([
      "2b847d217b02ee7731ed91431daf3250daa0196c3c94614d23be27232e6e5b6c",
    ]);
    expect(() => wheels.expectedHashes("tensorflow-cpu", "2.22.0")).toThrow(/SWEEPLAB_TENSORFLOW_SHA256/);
    expect(() => wheels.expectedHashes("tensorflow", "2.21.0")).toThrow(/no pinned SHA-256/);
    expect(wheels.expectedHashes("tensorflow-cpu", "2.22.0", `${"A".repeat(64)}, ${"b".repeat(64)}`)).toEqual(
      ["a".repeat(64), "b".repeat(64)],
    );
    expect(() => wheels.expectedHashes("tensorflow-cpu", "2.22.0", "abc")).toThrow(/SHA-256 hex/);
  });

  it("accepts a wheel only with a listed SHA-256", () => {
    const file = zipWith({ "a.txt": "a" });
    const hash = wheels.sha256File(file);
    expect(wheels.verifyWheel(file, ["0".repeat(64), hash])).toBe(hash);
    writeFileSync(file, "tampered");
    expect(() => wheels.verifyWheel(file, [hash])).toThrow(/is not the expected/);
  });

  it("asks pip for a wheel only, checked against the hash", () => {
    const folder = mkdtempSync(join(tmpdir(), "sweeplab-pip-"));
    const requirements = join(folder, "req.txt");
    const args = wheels.pipDownloadArgs("tensorflow-cpu", "2.21.0", ["c".repeat(64)], folder, requirements);
    expect(args).toEqual(expect.arrayContaining(["--only-binary=:all:", "--require-hashes", "--no-deps"]));
    expect(readFileSync(requirements, "utf8")).toBe(
      `tensorflow-cpu==2.21.0 --hash=sha256:${"c".repeat(64)}\n`,
    );
  });

  const cachedWheels = join(homedir(), ".cache/sweeplab/tensorflow/wheels");
  const cached = existsSync(cachedWheels)
    ? readdirSync(cachedWheels).find((f) => f.startsWith("tensorflow_cpu-2.21.0-cp311-"))
    : undefined;
  it.skipIf(!cached)("verifies the cached tensorflow-cpu 2.21.0 wheel against the pin", () => {
    const [pinned] = wheels.PINNED_WHEELS["tensorflow-cpu"]!["2.21.0"]!;
    expect(wheels.verifyWheel(join(cachedWheels, cached!), [pinned!])).toBe(pinned);
  });
});

describe("native setup: wheel unpacking", () => {
  it("unpacks the headers and libraries, and reuses the unpack only for the same wheel", () => {
    const wheel = zipWith({
      "tensorflow/include/tensorflow/c/c_api.h": "// c api",
      "tensorflow/libtensorflow_cc.so.2": "ELF",
      "tensorflow/python/other.py": "skipped",
    });
    const into = join(mkdtempSync(join(tmpdir(), "sweeplab-unpack-")), "tf");
    wheels.unpackWheel("python3", wheel, "h1", into, PARTS);
    expect(readFileSync(join(into, "include/tensorflow/c/c_api.h"), "utf8")).toBe("// c api");
    expect(readFileSync(join(into, "libtensorflow_cc.so.2"), "utf8")).toBe("ELF");
    expect(existsSync(join(into, "python"))).toBe(false);
    expect(readFileSync(join(into, ".wheel-sha256"), "utf8")).toBe("h1\n");
  });

  it("refuses an entry that escapes the target folder (zip-slip) and leaves nothing behind", () => {
    const root = mkdtempSync(join(tmpdir(), "sweeplab-slip-"));
    const wheel = zipWith({
      "tensorflow/include/tensorflow/c/c_api.h": "ok",
      "tensorflow/include/tensorflow/c/../../../../../escaped.txt": "pwned",
    });
    const into = join(root, "deep", "tf");
    expect(() => wheels.unpackWheel("python3", wheel, "h2", into, PARTS)).toThrow(
      /refusing entry outside the target folder/,
    );
    expect(existsSync(join(root, "escaped.txt"))).toBe(false);
    expect(existsSync(join(root, "deep", "escaped.txt"))).toBe(false);
    expect(existsSync(into)).toBe(false);
  });
});
