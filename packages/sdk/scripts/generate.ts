// Writes openapi.json and src/generated/schema.ts from the server's routes, and src/generated/contract-types.ts
// from the contract's types. CI fails when they drift (src/generated.test.ts regenerates and compares).
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateContractTypes } from "./contract-types.ts";
import { generateFromServer } from "./spec.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { spec, types } = await generateFromServer();
writeFileSync(join(root, "openapi.json"), spec);
writeFileSync(join(root, "src/generated/schema.ts"), types);
writeFileSync(join(root, "src/generated/contract-types.ts"), generateContractTypes());
console.log("wrote openapi.json, src/generated/schema.ts and src/generated/contract-types.ts");
