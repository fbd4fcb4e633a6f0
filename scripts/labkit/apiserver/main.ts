// Standalone lab apiserver: `npx tsx scripts/labkit/apiserver/main.ts --config FILE [--verbose]`.
// Prints one JSON line {url, caFile, kubeconfig} on stdout once it serves, then runs until
// SIGINT/SIGTERM. The cluster is read from the config's sourceFile on every poll.

import { parseArgs } from "node:util";
import { loadApiServerConfig } from "./config.js";
import { FileSource } from "./file-source.js";
import { writeLabKubeconfig } from "./kubeconfig.js";
import { startApiServer } from "./server.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: "string" }, verbose: { type: "boolean", default: false } },
  });
  if (values.config === undefined) throw new Error("usage: main.ts --config FILE [--verbose]");
  const config = await loadApiServerConfig(values.config);
  const server = await startApiServer({
    ...config,
    source: new FileSource(config.sourceFile),
    log: values.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
  if (config.kubeconfig !== undefined) {
    await writeLabKubeconfig(config.kubeconfig, {
      server: server.url,
      caFile: server.caFile,
      users: config.users,
    });
  }
  process.stdout.write(
    `${JSON.stringify({ url: server.url, caFile: server.caFile, kubeconfig: config.kubeconfig })}\n`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`lab apiserver: ${(error as Error)?.message ?? error}\n`);
  process.exit(1);
});
