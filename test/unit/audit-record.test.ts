import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { auditPaths, defaultLocalAuditPath } from "../../src/audit/audit-paths.js";
import { type AuditInput, auditLine, buildAuditRecord } from "../../src/audit/audit-record.js";
import { auditWho } from "../../src/audit/local-identity.js";
import { nodeAuditAppendArgv } from "../../src/audit/node-audit-log.js";
import { parseInventory } from "../../src/inventory/inventory-load.js";
import { quote } from "../../src/ssh/quote.js";
import { PODCAP_VERSION } from "../../src/version.js";
import { sampleAuditInput } from "./audit-sample.js";

const HOSTILE_FILTER = `tcp port 80 and "it's" \n$(touch /tmp/pwned) \`id\` ; rm -rf / \u0000 \u001b[2J`;

const input = sampleAuditInput;

describe("the audit record", () => {
  it("says who, what, when, how much and how it ended, with the capture id and version", () => {
    expect(buildAuditRecord(input())).toEqual({
      kind: "podcap.capture",
      podcapVersion: PODCAP_VERSION,
      captureId: "20250301T100000Z-a1b2c3",
      who: input().who,
      what: {
        targets: [{ namespace: "demo", pod: "web-1", container: "web", node: "node-a" }],
        interface: "eth0",
        filter: "tcp port 80",
      },
      when: { start: "2025-03-01T10:00:00.000Z", end: "2025-03-01T10:00:10.250Z", durationSeconds: 10.25 },
      result: { status: "captured", stopReason: "duration", packets: 42, bytes: 6300 },
    });
  });

  it("names the sudo user behind root when there is one", () => {
    const who = { ...input().who, localUser: "root", sudoUser: "alice" };
    expect(buildAuditRecord(input({ who })).who).toEqual(who);
  });

  it("takes who from the kube context and this machine, the sudo user too", () => {
    const kube = { user: "operator", context: "lab-operator", server: "https://api" };
    const who = auditWho(kube, { SUDO_USER: "someone-else" });
    expect(who).toMatchObject({ kubeUser: "operator", kubeContext: "lab-operator", cluster: "https://api" });
    expect(who.localUser).not.toBe("");
    expect(who.sudoUser).toBe("someone-else");
    expect(auditWho(kube, {})).not.toHaveProperty("sudoUser");
  });

  it("copies only its own fields: nothing a caller carries along reaches the log", () => {
    const payload = Buffer.from("GET /secret HTTP/1.1");
    const target = { namespace: "demo", pod: "web-1", pcap: payload } as never;
    const record = buildAuditRecord({ ...input({ targets: [target] }), pcap: payload } as AuditInput);
    expect(auditLine(record)).not.toContain("secret");
    expect(record.what.targets).toEqual([{ namespace: "demo", pod: "web-1" }]);
  });

  it("stays one line of one JSON object whatever the filter and the error hold", () => {
    const record = buildAuditRecord(
      input({ filter: HOSTILE_FILTER, status: "failed", error: "line one\nline two", packets: Number.NaN }),
    );
    const line = auditLine(record);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/\p{Cc}/u);
    const parsed = JSON.parse(line);
    expect(parsed.what.filter).toBe(HOSTILE_FILTER);
    expect(parsed.result).toEqual({
      status: "failed",
      stopReason: "duration",
      packets: 0,
      bytes: 6300,
      error: "line one\nline two",
    });
  });
});

describe("where the audit logs are", () => {
  it("defaults to the XDG state directory locally and /var/log/podcap on nodes", () => {
    expect(defaultLocalAuditPath({}, "/home/alice")).toBe("/home/alice/.local/state/podcap/audit.jsonl");
    expect(defaultLocalAuditPath({ XDG_STATE_HOME: "/xdg" }, "/home/alice")).toBe("/xdg/podcap/audit.jsonl");
    expect(defaultLocalAuditPath({ XDG_STATE_HOME: "rel" }, "/home/alice")).toBe(
      "/home/alice/.local/state/podcap/audit.jsonl",
    );
    expect(auditPaths({ settings: {}, baseDir: "/etc" }, {}, "/home/alice")).toEqual({
      local: "/home/alice/.local/state/podcap/audit.jsonl",
      node: "/var/log/podcap/audit.jsonl",
    });
  });

  it("takes the inventory's paths: local ones relative to the inventory, node ones absolute", () => {
    const inventory = parseInventory(
      "settings:\n  audit: { localPath: logs/audit.jsonl, nodePath: /srv/audit/podcap.jsonl }\n",
      "/etc/podcap/inventory.yaml",
    );
    expect(auditPaths(inventory, {}, "/home/alice")).toEqual({
      local: "/etc/podcap/logs/audit.jsonl",
      node: "/srv/audit/podcap.jsonl",
    });
    const home = parseInventory("settings:\n  audit: { localPath: ~/audit.jsonl }\n", "/etc/inv.yaml");
    expect(auditPaths(home, {}, "/home/alice").local).toBe("/home/alice/audit.jsonl");
    for (const bad of ["relative/audit.jsonl", "/var/log/podcap/", '"/var/log/a\\nb"']) {
      expect(() => parseInventory(`settings:\n  audit: { nodePath: ${bad} }\n`, "/etc/inv.yaml")).toThrow(
        /settings\.audit\.nodePath: must be an absolute file path/,
      );
    }
  });
});

describe("the node-side append", () => {
  const dir = mkdtempSync(join(tmpdir(), "podcap-node-audit-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = promisify(execFile);

  it("is a constant script with the path as its only argument", () => {
    const argv = nodeAuditAppendArgv("/var/log/podcap/audit.jsonl");
    expect(argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(argv.slice(3)).toEqual(["podcap-audit", "/var/log/podcap/audit.jsonl"]);
    expect(nodeAuditAppendArgv("/elsewhere/a.jsonl")[2]).toBe(argv[2]);
    expect(() => nodeAuditAppendArgv("audit.jsonl")).toThrow(/absolute/);
    expect(() => nodeAuditAppendArgv("/a\u0000b")).toThrow(/NUL/);
  });

  it("appends the line it reads through a login shell: hostile text stays one JSON string", async () => {
    // What the node's login shell does with the exec line: parse it back into the argv, run it.
    const file = join(dir, "sub dir", "audit.jsonl");
    const line = auditLine(buildAuditRecord(input({ filter: HOSTILE_FILTER })));
    for (let i = 0; i < 2; i++) {
      const child = execFile("sh", ["-c", quote(nodeAuditAppendArgv(file))]);
      child.stdin?.end(line);
      await new Promise((resolve, reject) =>
        child.on("exit", (code) => (code === 0 ? resolve(code) : reject(code))),
      );
    }
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1] ?? "").what.filter).toBe(HOSTILE_FILTER);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "sub dir")).mode & 0o777).toBe(0o700);
    await expect(run("sh", ["-c", "test -e /tmp/pwned && echo pwned || true"])).resolves.toMatchObject({
      stdout: "",
    });
  });

  it("refuses anything but one JSON object, and a link in the log's place", async () => {
    const file = join(dir, "refusals.jsonl");
    const attempt = (stdin: string, path = file) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = execFile("sh", ["-c", quote(nodeAuditAppendArgv(path))], (error, _stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, stderr }),
        );
        child.stdin?.end(stdin);
      });
    await expect(attempt("")).resolves.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("no record"),
    });
    await expect(attempt("rm -rf /\n")).resolves.toMatchObject({ code: 2 });
    const link = join(dir, "link.jsonl");
    await run("ln", ["-s", "/etc/hostname", link]);
    await expect(attempt('{"a":1}\n', link)).resolves.toMatchObject({
      code: 3,
      stderr: expect.stringContaining("not a plain file"),
    });
  });
});
