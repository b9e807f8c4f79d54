/** The package folder (packages/cli). */
export const PACKAGE_DIR: string;
/** The bundled CLI: dist/sweeplab.mjs. */
export const BUNDLE: string;
/** The workspace files the bundle was built from, as JSON: dist/sweeplab.inputs.json. */
export const INPUTS: string;
/** Builds dist/sweeplab.mjs from src/main.ts (the server and tsx stay external). */
export function buildCli(): Promise<void>;
/** True when the bundle exists and no workspace file it was built from is newer than it. */
export function bundleIsFresh(packageDir?: string): boolean;
