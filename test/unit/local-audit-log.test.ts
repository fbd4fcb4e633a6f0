import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildAuditRecord } from "../../src/audit/audit-record.js";
import { appendLocalAudit } from "../../src/audit/local-audit-log.js";
import { sampleAuditInput } from "./audit-sample.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-local-audit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (captureId: string, filter = "tcp port 80") =>
  buildAuditRecord(sampleAuditInput({ captureId, filter }));

describe("the local audit log", () => {
  it("is made 0600 in a 0700 directory, one parseable line per capture", async () => {
    const path = join(dir, "state", "podcap", "audit.jsonl");
    const previous = process.umask(0o022);
    try {
      expect(await appendLocalAudit(record("one"), path)).toBeUndefined();
      expect(await appendLocalAudit(record("two", 'a\n"b"'), path)).toBeUndefined();
    } finally {
      process.umask(previous);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "state", "podcap")).mode & 0o777).toBe(0o700);
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line).captureId)).toEqual(["one", "two"]);
    expect(JSON.parse(lines[1] ?? "").what.filter).toBe('a\n"b"');
  });

  it("keeps every line when many podcaps append at once", async () => {
    const path = join(dir, "concurrent.jsonl");
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => appendLocalAudit(record(`c${i}`, "x".repeat(2000)), path)),
    );
    const ids = readFileSync(path, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line).captureId);
    expect(ids.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `c${i}`).sort());
  });

  it("narrows an existing file to 0600 and leaves an existing directory's mode alone", async () => {
    const shared = join(dir, "shared");
    mkdirSync(shared, { mode: 0o755 });
    chmodSync(shared, 0o755);
    const path = join(shared, "audit.jsonl");
    writeFileSync(path, "", { mode: 0o644 });
    chmodSync(path, 0o644);
    expect(await appendLocalAudit(record("x"), path)).toBeUndefined();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(shared).mode & 0o777).toBe(0o755);
  });

  it("refuses a symbolic link in the log's place and returns the failure instead of throwing", async () => {
    const target = join(dir, "elsewhere");
    writeFileSync(target, "");
    const link = join(dir, "link.jsonl");
    symlinkSync(target, link);
    const failure = await appendLocalAudit(record("x"), link);
    expect(failure?.message).toBe(`cannot append to the audit log ${link}: it is a symbolic link`);
    expect(readFileSync(target, "utf8")).toBe("");
  });
});
