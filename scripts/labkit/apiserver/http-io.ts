// Reading requests and writing JSON responses, kept apart from what the responses mean.

import type { IncomingMessage, ServerResponse } from "node:http";
import { badRequest, unsupportedMediaType } from "./status.js";

/** Bodies the lab accepts are small (events, access reviews); anything bigger is a mistake. */
const maxBodyBytes = 1024 * 1024;

export interface RequestBody {
  /** The media type without parameters, e.g. application/json. */
  type: string;
  bytes: Buffer;
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

export async function readBody(req: IncomingMessage): Promise<RequestBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw badRequest("request body too large");
    chunks.push(chunk as Buffer);
  }
  const type = (req.headers["content-type"] ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  return { type, bytes: Buffer.concat(chunks) };
}

/** The body as JSON; 415 for any other media type, as the apiserver answers for unknown ones. */
export function parseJsonBody(body: RequestBody): unknown {
  if (body.type !== "application/json") throw unsupportedMediaType(body.type);
  const text = body.bytes.toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(`the request body is not JSON: ${text.slice(0, 80)}`);
  }
}

export const readJsonBody = async (req: IncomingMessage) => parseJsonBody(await readBody(req));
