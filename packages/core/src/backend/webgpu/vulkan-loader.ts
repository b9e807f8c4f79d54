import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Whether the dynamic loader can find the Vulkan loader (libvulkan.so.1), which Dawn needs on Linux. */
export function vulkanLoaderPresent(): boolean {
  if (process.platform !== "linux") return true;
  const folders = (process.env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean);
  if (folders.some((folder) => existsSync(`${folder}/libvulkan.so.1`))) return true;
  try {
    return execFileSync("ldconfig", ["-p"], { encoding: "utf8" }).includes("libvulkan.so.1");
  } catch {
    return ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"].some((f) =>
      existsSync(`${f}/libvulkan.so.1`),
    );
  }
}
