// The lab's Kubernetes API stand-in: HTTPS with the lab CA, bearer tokens, RBAC-like rules, and
// the REST paths kubectl and client-node use. Every request goes authenticate -> authorize ->
// route, and every failure leaves as a Status object.

import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { denialReason, findUserByToken, isAllowed, isNonResourceAllowed, type LabUser } from "./access.js";
import { readAccessReview, reviewAccess } from "./access-review.js";
import { ensureLabCerts } from "./certs.js";
import { discoveryDocument } from "./discovery.js";
import { sendJson } from "./http-io.js";
import { type RequestInfo, requestInfo } from "./request-info.js";
import { handleResource } from "./resource-handlers.js";
import type { ClusterSource } from "./source.js";
import { ApiError, forbidden, forbiddenPath, internalError, pathNotFound, unauthorized } from "./status.js";
import { ClusterStore, type StoreOptions } from "./store.js";

export interface ApiServerOptions extends Omit<StoreOptions, "onError"> {
  /** 0 or absent: any free port. */
  port?: number;
  /** Default 127.0.0.1; the certificate is valid for 127.0.0.1 and localhost. */
  host?: string;
  certDir: string;
  users: LabUser[];
  source: ClusterSource;
  /** One line per request and per source error; default: source errors to stderr only. */
  log?: (line: string) => void;
}

export interface RunningApiServer {
  url: string;
  port: number;
  caFile: string;
  /** For the lab itself, e.g. to record events or refresh right after changing containers. */
  store: ClusterStore;
  close(): Promise<void>;
}

const healthPaths = new Set(["/healthz", "/livez", "/readyz"]);

async function route(
  store: ClusterStore,
  user: LabUser,
  info: RequestInfo,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
) {
  if (info.kind === "nonResource") {
    if (!isNonResourceAllowed(info.verb)) {
      throw forbiddenPath(`User "${user.username}" cannot ${info.verb} path "${info.path}"`);
    }
    if (healthPaths.has(info.path)) {
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
      return;
    }
    const document = discoveryDocument(info.path, req.headers.host ?? "");
    if (document === undefined) throw pathNotFound();
    sendJson(res, 200, document);
    return;
  }
  if (!isAllowed(user, info)) {
    throw forbidden(info.resource, info.group, info.name || undefined, denialReason(user, info));
  }
  if (
    info.group === "authorization.k8s.io" &&
    info.resource === "selfsubjectaccessreviews" &&
    info.verb === "create"
  ) {
    sendJson(res, 201, reviewAccess(user, await readAccessReview(req)));
    return;
  }
  await handleResource({ store, info, url, req, res });
}

function failureResponse(res: ServerResponse, error: unknown, report: (line: string) => void): void {
  if (!(error instanceof ApiError)) report(`internal error: ${(error as Error)?.stack ?? String(error)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status } =
    error instanceof ApiError ? error : internalError((error as Error)?.message ?? String(error));
  sendJson(res, status.code, status);
}

export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const log = options.log ?? (() => {});
  // Failures of the server itself are always told, even when requests are not logged.
  const report = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const certs = await ensureLabCerts(options.certDir);
  const store = new ClusterStore(options.source, {
    pollMs: options.pollMs,
    historyLimit: options.historyLimit,
    eventLimit: options.eventLimit,
    onError: (error) => report(`cluster source: ${(error as Error)?.message ?? error}`),
  });
  await store.start();

  const server = createServer(
    { key: await readFile(certs.keyFile), cert: await readFile(certs.certFile) },
    (req, res) => {
      const url = new URL(req.url ?? "/", "https://lab.invalid");
      const user = findUserByToken(options.users, req.headers.authorization);
      res.on("finish", () => log(`${req.method} ${req.url} ${res.statusCode} ${user?.username ?? "-"}`));
      const handled =
        user === undefined
          ? Promise.reject(unauthorized())
          : route(store, user, requestInfo(req.method ?? "GET", url), url, req, res);
      handled.catch((error: unknown) => failureResponse(res, error, report));
    },
  );
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `https://${urlHost}:${port}`,
    port,
    caFile: certs.caFile,
    store,
    close: async () => {
      store.stop();
      // Watches never end by themselves: cut them, or close() would wait for their timeouts.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
