// The package version, sent in User-Agent (version.test.ts holds it equal to package.json).
export const SDK_VERSION = "0.1.0";
