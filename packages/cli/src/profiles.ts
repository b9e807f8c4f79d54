import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { UsageError } from "./errors.ts";

/** One named service: where it is and how to get its token. */
const ProfileSchema = z.strictObject({
  /** The service's URL, e.g. http://gpu-host:8787. */
  host: z.string().min(1),
  /** A token, written here (prefer tokenCommand: the file is then no secret). */
  token: z.string().min(1).optional(),
  /** A shell command that prints the token, e.g. `pass show sweeplab/gpu`; run once per command. */
  tokenCommand: z.string().min(1).optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;

const ConfigFileSchema = z.strictObject({
  /** The profile used when no --profile, SWEEPLAB_PROFILE, --host or SWEEPLAB_URL says otherwise. */
  default: z.string().optional(),
  profiles: z.record(z.string(), ProfileSchema).default({}),
});

/** $XDG_CONFIG_HOME/sweeplab/config.yaml (~/.config/sweeplab/config.yaml when XDG_CONFIG_HOME is unset). */
export function configFilePath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "sweeplab", "config.yaml");
}

function readConfigFile(file: string): z.infer<typeof ConfigFileSchema> | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const parsed = ConfigFileSchema.safeParse(parse(text) ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new UsageError(`${file} is not a sweeplab config: ${issues}`);
  }
  return parsed.data;
}

export interface Connection {
  host?: string;
  token?: string;
}

/**
 * Where to connect: a flag, then the environment, then a profile. A profile named by --profile or SWEEPLAB_PROFILE
 * supplies what flags and environment leave out; the file's `default` profile applies only when neither names a
 * host (its token belongs to its own host).
 */
export function resolveConnection(
  flags: { host?: string; token?: string; profile?: string },
  env: NodeJS.ProcessEnv,
): Connection {
  const host = flags.host || env.SWEEPLAB_URL || undefined;
  const token = flags.token || env.SWEEPLAB_TOKEN || undefined;
  const named = flags.profile || env.SWEEPLAB_PROFILE || undefined;
  const file = configFilePath(env);
  const config = named || !host ? readConfigFile(file) : undefined;
  const name = named ?? (host ? undefined : config?.default);
  if (!name) return { host, token };
  const profile = config?.profiles[name];
  if (!profile) {
    const known = Object.keys(config?.profiles ?? {});
    throw new UsageError(
      `no profile "${name}" in ${file}${known.length ? ` (profiles: ${known.join(", ")})` : ""}`,
    );
  }
  return { host: host ?? profile.host, token: token ?? profile.token ?? runTokenCommand(name, profile) };
}

function runTokenCommand(name: string, profile: Profile): string | undefined {
  if (!profile.tokenCommand) return undefined;
  try {
    return execFileSync("/bin/sh", ["-c", profile.tokenCommand], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? "").trim();
    throw new UsageError(
      `profile "${name}": tokenCommand failed${stderr ? `: ${stderr.split("\n")[0]}` : ""}`,
    );
  }
}
