// The API stand-in process: serves the lab's pods, derived from dockerd and containerd each time
// their containers change, until SIGTERM.

import { ensureLabCerts, labUsers, startApiServer } from "./apiserver/index.js";
import { RuntimeClusterSource } from "./cluster-source.js";
import { labTokens } from "./control-plane.js";
import { API, paths } from "./layout.js";

const certs = await ensureLabCerts(paths.certs);
const server = await startApiServer({
  host: API.host,
  port: API.port,
  certDir: paths.certs,
  users: labUsers(labTokens()),
  source: new RuntimeClusterSource(),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stderr.write(`lab apiserver: serving ${server.url} (CA ${certs.caFile})\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
