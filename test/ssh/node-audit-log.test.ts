// The node's audit append run for real over SSH, the way a capture runs it: the record on stdin,
// the log made 0600 in a 0700 directory, one parseable line per capture, hostile text inert.

import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAuditRecord } from "../../src/audit/audit-record.js";
import { appendNodeAudit } from "../../src/audit/node-audit-log.js";
import { connectNode } from "../../src/ssh/connect-node.js";
import type { NodeSession } from "../../src/ssh/node-session.js";
import { sampleAuditInput } from "../unit/audit-sample.js";
import { canRunSshd, type Sshd, startSshd, targetFor } from "./sshd-fixture.js";

const canary = (sshd: Sshd) => join(sshd.dir, "canary");
const recordWith = (filter: string, captureId: string) =>
  buildAuditRecord(sampleAuditInput({ filter, captureId }));

describe.skipIf(!canRunSshd)("the node audit log over SSH", () => {
  let sshd: Sshd;
  let session: NodeSession;
  beforeAll(async () => {
    sshd = await startSshd();
    session = await connectNode(targetFor(sshd));
  });
  afterAll(async () => {
    await session?.close();
    await sshd?.stop();
  });

  it("appends one line per capture, 0600 in a new 0700 directory, hostile filters inert", async () => {
    const path = join(sshd.dir, "var log", "podcap", "audit.jsonl");
    const hostile = `port 80 '"; touch ${canary(sshd)}; echo "\n$(touch ${canary(sshd)}) \`touch ${canary(sshd)}\``;
    const exec = session.exec.bind(session);
    expect(await appendNodeAudit(exec, recordWith(hostile, "one"), path, "test-node")).toBeUndefined();
    expect(await appendNodeAudit(exec, recordWith("tcp", "two"), path, "test-node")).toBeUndefined();
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line).captureId)).toEqual(["one", "two"]);
    expect(JSON.parse(lines[0] ?? "").what.filter).toBe(hostile);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(sshd.dir, "var log", "podcap")).mode & 0o777).toBe(0o700);
    expect(existsSync(canary(sshd))).toBe(false);
  });

  it("returns the node's reason instead of throwing when the log cannot be written", async () => {
    const failure = await appendNodeAudit(
      session.exec.bind(session),
      recordWith("", "x"),
      "/proc/podcap/audit.jsonl",
      "test-node",
    );
    expect(failure?.message).toMatch(
      /^cannot append to the audit log \/proc\/podcap\/audit\.jsonl on node test-node: podcap-audit: cannot create/,
    );
  });
});
