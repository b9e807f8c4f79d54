#!/usr/bin/env node
// `sweeplab`: runs the prebuilt bundle of src/ (see scripts/bundle.mjs). In a checkout it first rebuilds the bundle
// when a source file changed since it was built (about a second, once), so the command never runs code older than
// the checkout; the published package holds only the bundle, and runs it.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const builder = new URL("../scripts/bundle.mjs", import.meta.url);
if (existsSync(fileURLToPath(builder))) {
  const { BUNDLE, buildCli, bundleIsFresh } = await import(builder.href);
  if (!bundleIsFresh()) await buildCli();
  await import(pathToFileURL(BUNDLE).href);
} else {
  await import("../dist/sweeplab.mjs");
}
