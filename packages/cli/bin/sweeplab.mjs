#!/usr/bin/env node
// `sweeplab`: runs the prebuilt bundle of src/ (see scripts/bundle.mjs), first rebuilding it when a source file
// changed since it was built (about a second, once), so the command never runs code older than the checkout.
import { pathToFileURL } from "node:url";
import { BUNDLE, buildCli, bundleIsFresh } from "../scripts/bundle.mjs";

if (!bundleIsFresh()) await buildCli();
await import(pathToFileURL(BUNDLE).href);
