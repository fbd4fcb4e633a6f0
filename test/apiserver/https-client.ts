// Raw HTTPS against the lab apiserver, for what the tests check below kubectl and client-node:
// status codes, Status bodies, content negotiation and the watch stream itself.

import { readFileSync } from "node:fs";
import { request } from "node:https";
import type { Lab } from "./harness.js";

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

export interface CallOptions {
  user?: string;
  method?: string;
  body?: unknown;
  accept?: string;
  token?: string;
}

export function call(lab: Lab, path: string, options: CallOptions = {}): Promise<Reply> {
  const token = options.token ?? lab.tokenOf(options.user ?? "admin");
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(`${lab.server.url}${path}`, {
      method: options.method ?? "GET",
      ca: readFileSync(lab.server.caFile),
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: options.accept ?? "application/json",
        ...(payload === undefined ? {} : { "Content-Type": "application/json" }),
      },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, body: text === "" ? {} : JSON.parse(text) });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** What tests read off watched objects, whatever the representation. */
export interface WatchedObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  rows?: { cells: unknown[]; object?: { kind?: string; metadata?: { name?: string } } }[];
  columnDefinitions?: { name: string }[];
  code?: number;
  reason?: string;
}

export interface WatchEventLine {
  type: string;
  object: WatchedObject;
}

export interface OpenWatch {
  events: WatchEventLine[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export function openWatch(lab: Lab, path: string, options: CallOptions = {}): Promise<OpenWatch> {
  const token = lab.tokenOf(options.user ?? "admin");
  return new Promise((resolve, reject) => {
    const req = request(`${lab.server.url}${path}`, {
      ca: readFileSync(lab.server.caFile),
      headers: { Authorization: `Bearer ${token}`, Accept: options.accept ?? "application/json" },
    });
    req.on("response", (res) => {
      const events: WatchEventLine[] = [];
      let buffered = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) if (line !== "") events.push(JSON.parse(line));
      });
      const ended = new Promise<void>((done) => res.on("close", () => done()));
      resolve({ events, ended, close: () => req.destroy() });
    });
    req.on("error", reject);
    req.end();
  });
}
