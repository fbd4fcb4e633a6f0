// known_hosts parsing and verification, checked against what OpenSSH's own ssh-keygen writes
// (hashed lines from `ssh-keygen -H`) and prints (`ssh-keygen -lf` fingerprints).

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyTypeOfBlob, sha256Fingerprint } from "../../src/ssh/key-blob.js";
import {
  appendKnownHost,
  checkHostKey,
  hostKeyName,
  knownKeyTypes,
  verifyHostKey,
} from "../../src/ssh/known-hosts.js";
import { parseKnownHosts } from "../../src/ssh/known-hosts-file.js";

let dir: string;
const keys: Record<string, { line: string; blob: Buffer; pubFile: string }> = {};

function makeKey(name: string, type: "ed25519" | "ecdsa" | "rsa"): void {
  const file = join(dir, name);
  execFileSync("ssh-keygen", [
    "-q",
    "-t",
    type,
    ...(type === "rsa" ? ["-b", "2048"] : []),
    "-N",
    "",
    "-f",
    file,
  ]);
  const line = readFileSync(`${file}.pub`, "utf8").trim().split(" ").slice(0, 2).join(" ");
  keys[name] = { line, blob: Buffer.from(line.split(" ")[1] ?? "", "base64"), pubFile: `${file}.pub` };
}

const key = (name: string) => {
  const found = keys[name];
  if (!found) throw new Error(`no key ${name}`);
  return found;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "podcap-known-hosts-"));
  makeKey("a", "ed25519");
  makeKey("b", "ed25519");
  makeKey("ec", "ecdsa");
  makeKey("rsa", "rsa");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fingerprints", () => {
  it("prints SHA256 exactly like ssh-keygen -lf, for every key type", () => {
    for (const name of ["a", "ec", "rsa"]) {
      const printed = execFileSync("ssh-keygen", ["-lf", key(name).pubFile])
        .toString()
        .split(" ")[1];
      expect(sha256Fingerprint(key(name).blob)).toBe(printed);
    }
    expect(keyTypeOfBlob(key("ec").blob)).toBe("ecdsa-sha2-nistp256");
    expect(keyTypeOfBlob(key("rsa").blob)).toBe("ssh-rsa");
  });
});

describe("host key names", () => {
  it("uses [host]:port off port 22, the alias when set, lowercase", () => {
    expect(hostKeyName("Node-A.example", 22)).toBe("node-a.example");
    expect(hostKeyName("10.0.0.5", 2222)).toBe("[10.0.0.5]:2222");
    expect(hostKeyName("10.0.0.5", 2222, "node-a")).toBe("node-a");
  });
});

describe("parsing and checking", () => {
  it("matches plain pattern lists, wildcards, negations and ports", () => {
    const text = [
      "# comment",
      "",
      `node-a,10.0.0.5 ${key("a").line} comment words`,
      `[10.0.0.6]:2222 ${key("b").line}`,
      `*.prod,!bad.prod ${key("ec").line}`,
    ].join("\n");
    const { entries, problems } = parseKnownHosts(text, "kh");
    expect(problems).toEqual([]);
    expect(entries.map((entry) => entry.line)).toEqual([3, 4, 5]);
    expect(checkHostKey(entries, "10.0.0.5", key("a").blob)).toMatchObject({
      status: "ok",
      file: "kh",
      line: 3,
    });
    expect(checkHostKey(entries, "[10.0.0.6]:2222", key("b").blob).status).toBe("ok");
    expect(checkHostKey(entries, "10.0.0.6", key("b").blob).status).toBe("unknown");
    expect(checkHostKey(entries, "db.prod", key("ec").blob).status).toBe("ok");
    expect(checkHostKey(entries, "bad.prod", key("ec").blob).status).toBe("unknown");
  });

  it("calls a different key a mismatch, pointing at the known line, whatever its type", () => {
    const { entries } = parseKnownHosts(`node-a ${key("a").line}\n`, "kh");
    expect(checkHostKey(entries, "node-a", key("b").blob)).toMatchObject({ status: "mismatch", line: 1 });
    expect(checkHostKey(entries, "node-a", key("rsa").blob).status).toBe("mismatch");
    expect(checkHostKey(entries, "node-b", key("b").blob).status).toBe("unknown");
  });

  it("refuses @revoked keys and leaves @cert-authority lines aside", () => {
    const text = [
      `node-a ${key("a").line}`,
      `@revoked * ${key("a").line}`,
      `@cert-authority *.prod ${key("ec").line}`,
    ].join("\n");
    const { entries } = parseKnownHosts(text, "kh");
    expect(checkHostKey(entries, "node-a", key("a").blob)).toMatchObject({ status: "revoked", line: 2 });
    const ca = checkHostKey(entries, "x.prod", key("ec").blob);
    expect(ca).toMatchObject({ status: "unknown", ignoredCertAuthorities: 1 });
  });

  it("reads lines hashed by ssh-keygen -H", () => {
    const file = join(dir, "hashed");
    writeFileSync(file, `node-a ${key("a").line}\n[10.0.0.6]:2222 ${key("b").line}\n`);
    execFileSync("ssh-keygen", ["-H", "-f", file], { stdio: "ignore" });
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain("node-a");
    const { entries } = parseKnownHosts(text, file);
    expect(entries.every((entry) => entry.names.kind === "hashed")).toBe(true);
    expect(checkHostKey(entries, "node-a", key("a").blob).status).toBe("ok");
    expect(checkHostKey(entries, "[10.0.0.6]:2222", key("b").blob).status).toBe("ok");
    expect(checkHostKey(entries, "node-b", key("a").blob).status).toBe("unknown");
  });

  it("reports broken lines without failing the file", () => {
    const { entries, problems } = parseKnownHosts(
      `@bogus host ${key("a").line}\nhost ssh-rsa ${key("a").line.split(" ")[1]}\nonlyhost\nnode-a ${key("a").line}\n`,
      "kh",
    );
    expect(problems.map((problem) => problem.line)).toEqual([1, 2, 3]);
    expect(entries).toHaveLength(1);
  });

  it("lists the key types known for a host, for the algorithm order", () => {
    const { entries } = parseKnownHosts(
      `h ${key("rsa").line}\nh ${key("ec").line}\nother ${key("a").line}\n`,
      "kh",
    );
    expect(knownKeyTypes(entries, "h")).toEqual(["ssh-rsa", "ecdsa-sha2-nistp256"]);
  });
});

describe("files", () => {
  it("verifies across files, missing ones included, and finds what it appended", async () => {
    const target = join(dir, "sub", "known_hosts");
    const missing = join(dir, "missing");
    expect((await verifyHostKey([missing, target], "[h]:2222", key("a").blob)).status).toBe("unknown");
    await appendKnownHost(target, "[h]:2222", key("a").blob);
    await appendKnownHost(target, "other", key("b").blob, { hashed: true });
    const verdict = await verifyHostKey([missing, target], "[h]:2222", key("a").blob);
    expect(verdict).toMatchObject({ status: "ok", file: target, line: 1 });
    expect((await verifyHostKey([target], "other", key("b").blob)).status).toBe("ok");
    // And OpenSSH agrees with what was written.
    const found = execFileSync("ssh-keygen", ["-F", "other", "-f", target]).toString();
    expect(found).toContain(key("b").line.split(" ")[1]);
  });
});
