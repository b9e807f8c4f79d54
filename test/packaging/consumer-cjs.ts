// The same SDK from a CommonJS project (compiled to require()); prints one JSON line.
import { ConnectionError, createClient, isApiError, SDK_VERSION } from "@sweeplab/sdk";

async function main(): Promise<void> {
  const baseUrl = process.env.SWEEPLAB_URL ?? "";
  const client = createClient({ baseUrl, token: process.env.SWEEPLAB_TOKEN });
  const status = await client.status();
  const page = await client.runs.list({ limit: 1 });
  let refused = false;
  try {
    await createClient({ baseUrl: process.env.CLOSED_URL ?? "", retry: 0 }).health();
  } catch (error) {
    refused = error instanceof ConnectionError && error.code === "UNREACHABLE";
  }
  let notFound = "";
  try {
    await client.runs.get("run_does_not_exist");
  } catch (error) {
    if (isApiError(error)) notFound = error.code;
  }
  console.log(
    JSON.stringify({
      version: SDK_VERSION,
      store: status.store,
      listed: page.items.length,
      refused,
      notFound,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
