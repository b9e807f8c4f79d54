// @sweeplab/core's postinstall, in an installed package: builds the native TensorFlow backend (tfjs-node's binding
// from a verified TensorFlow wheel, and the graph addon from graph.c) with setup-native.mjs, which the package's
// prepack copies here from the repository's scripts/. It never fails the install: without a TensorFlow library it
// says the wasm backend will be used. In a checkout the root postinstall runs the same script for the workspace,
// so this one does nothing there.
import { existsSync } from "node:fs";

const setup = new URL("./setup-native.mjs", import.meta.url);
const inCheckout = existsSync(new URL("../../../pnpm-workspace.yaml", import.meta.url));
if (!inCheckout && existsSync(setup)) await import(setup.href);
