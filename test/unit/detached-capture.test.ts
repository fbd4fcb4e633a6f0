// The pure parts of detached captures: IDs (strict: they become directory names on the node),
// tcpdump's argv for rotated files, the node's listing, the fetch plan and what ls prints.

import { describe, expect, it } from "vitest";
import { parseCaptureListing, parseSweep } from "../../src/capture/capture-listing.js";
import { newDetachedCaptureId, parseCaptureId } from "../../src/capture/detached-capture-id.js";
import { detachedTcpdumpArgv, rotateMegabytes } from "../../src/capture/detached-tcpdump-args.js";
import { detachedWrapperArgv, metaLines } from "../../src/capture/detached-wrapper.js";
import { fetchPlan, localAction } from "../../src/capture/fetch-plan.js";
import { cleanCapturesArgv, listCapturesArgv, stopCaptureArgv } from "../../src/capture/node-captures.js";
import { UsageError } from "../../src/errors.js";
import { capturesTable, shortDuration } from "../../src/ui/captures-table.js";

const ID = "node-a.20261201T194500Z-3fa9c1";

describe("capture IDs", () => {
  it("name the node, which may hold dots", () => {
    expect(parseCaptureId(ID)).toEqual({ node: "node-a", stamp: "20261201T194500Z-3fa9c1" });
    expect(parseCaptureId("ip-10-0-0-1.ec2.internal.20261201T194500Z-3fa9c1").node).toBe(
      "ip-10-0-0-1.ec2.internal",
    );
    const made = newDetachedCaptureId("node-b", new Date("2026-12-01T19:45:00.123Z"));
    expect(made).toMatch(/^node-b\.20261201T194500Z-[0-9a-f]{6}$/);
    expect(parseCaptureId(made).node).toBe("node-b");
  });

  it.each([
    "../x",
    `../${ID}`,
    `${ID}/..`,
    "/etc",
    `/${ID}`,
    `-${ID}`,
    `${ID}\0`,
    `node-a/.20261201T194500Z-3fa9c1`,
    "node-a..20261201T194500Z-3fa9c1",
    "Node-A.20261201T194500Z-3fa9c1",
    "node-a.20261201T194500Z-3FA9C1",
    "20261201T194500Z-3fa9c1",
    "",
    `${"a".repeat(300)}.20261201T194500Z-3fa9c1`,
  ])("refuse %j before anything runs", (text) => {
    expect(() => parseCaptureId(text)).toThrow(UsageError);
  });

  it("refuse a node name that is no DNS subdomain", () => {
    expect(() => newDetachedCaptureId("../etc")).toThrow(UsageError);
  });
});

describe("tcpdump for rotated files", () => {
  it("writes UTC-stamped files with -C in millions of bytes, -G, the hook and -Z root, no -W", () => {
    const argv = detachedTcpdumpArgv(
      ID,
      { iface: "eth0" },
      { rotateBytes: 10_000_000, rotateSeconds: 3600, keepFiles: 5 },
    );
    expect(argv).toEqual([
      "tcpdump",
      "-i",
      "eth0",
      "-n",
      "-U",
      "-B",
      "16384",
      "-Z",
      "root",
      "-C",
      "10",
      "-G",
      "3600",
      "-w",
      `/var/lib/podcap/captures/${ID}/%Y%m%dT%H%M%SZ.pcap`,
      "-z",
      `/var/lib/podcap/captures/${ID}/rotated`,
    ]);
    expect(argv).not.toContain("-W");
  });

  it("rounds sizes up to tcpdump's megabytes and refuses a bad --keep", () => {
    expect(rotateMegabytes(1)).toBe(1);
    expect(rotateMegabytes(1_000_001)).toBe(2);
    expect(rotateMegabytes(10 * 1024 * 1024)).toBe(11);
    expect(() => detachedTcpdumpArgv(ID, {}, { rotateBytes: 1, rotateSeconds: 1, keepFiles: 0 })).toThrow(
      UsageError,
    );
  });
});

describe("the detached wrapper's argv", () => {
  it("passes every value as an argument after the constant scripts", () => {
    const argv = detachedWrapperArgv({
      captureId: ID,
      targetPid: 4242,
      maxSeconds: 86_400,
      keepFiles: 5,
      filter: "tcp port 53",
      tcpdumpArgv: ["tcpdump", "-i", "eth0"],
      meta: { namespace: "demo", pod: "web", filter: "a\nstate=stopped" },
    });
    expect(argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(argv.slice(6)).toEqual([
      ID,
      "4242",
      "86400s",
      "5",
      "tcp port 53",
      "namespace=demo\npod=web\nfilter=a state=stopped",
      "tcpdump",
      "-i",
      "eth0",
    ]);
  });

  it("keeps a value's line breaks out of the record", () => {
    expect(metaLines({ pod: "x\r\ny", gone: undefined })).toBe("pod=x y");
    expect(() => metaLines({ "bad key": "x" })).toThrow();
  });
});

const LISTING = [
  `capture ${ID}`,
  `record id=${ID}`,
  "record namespace=demo",
  "record pod=web-1",
  "record started_epoch=1796154000",
  "record state=running",
  "alive 1",
  "file 1000892 1796154100 20261201T194500Z.pcap",
  "file 1200 1796154200 20261201T194500Z.pcap1",
  "end",
  "capture node-a.20261201T180000Z-000001",
  "record state=running",
  "alive 0",
  "end",
  "capture node-a.20261201T170000Z-000002",
  "record state=running",
  "record reason=pod-gone",
  "record ended_epoch=1796150000",
  "record state=stopped",
  "alive 0",
  "end",
  "",
].join("\n");

describe("the node's listing", () => {
  it("tells running from wrapper gone from pod gone, with files, bytes and the file being written", () => {
    const [running, orphan, gone] = parseCaptureListing(LISTING, "node-a");
    expect(running).toMatchObject({
      id: ID,
      node: "node-a",
      state: "running",
      namespace: "demo",
      pod: "web-1",
      bytes: 1_002_092,
    });
    expect(running?.current).toBe("20261201T194500Z.pcap1");
    expect(running?.started).toEqual(new Date(1796154000 * 1000));
    expect(orphan).toMatchObject({ state: "wrapper-gone", files: [] });
    expect(gone).toMatchObject({ state: "pod-gone", reason: "pod-gone" });
    expect(gone?.current).toBeUndefined();
  });

  it("lists a capture only on the node its ID names, where nodes share a disk", () => {
    expect(parseCaptureListing(LISTING, "node-b")).toEqual([]);
    expect(parseCaptureListing(LISTING, "node-a").length).toBeGreaterThan(0);
  });

  it("plans a running capture's fetch without the file tcpdump writes", () => {
    const [running, , gone] = parseCaptureListing(LISTING, "node-a");
    expect(fetchPlan(running as never)).toEqual({
      files: [{ name: "20261201T194500Z.pcap", size: 1000892, mtime: 1796154100 }],
      skipped: "20261201T194500Z.pcap1",
    });
    expect(fetchPlan(gone as never)).toEqual({ files: [] });
  });

  it("prints a table with how long each ran", () => {
    const table = capturesTable(parseCaptureListing(LISTING, "node-a"), new Date(1796157600 * 1000));
    expect(table.split("\n")[0]).toMatch(/^ID\s+POD\s+NODE\s+STARTED\s+RAN FOR\s+FILES\s+BYTES\s+STATE$/);
    expect(table).toContain("demo/web-1");
    expect(table).toMatch(/1h\s+2\s+1\.0 MB\s+running/);
    expect(table).toMatch(/wrapper gone$/m);
    expect(shortDuration(90_061_000)).toBe("1d1h");
  });

  it("reads what stop and clean did", () => {
    expect(parseSweep(`marked a\nkept a\ndeleted b\nrunning c\nstopped d stopped-by-user\n`)).toEqual({
      marked: ["a"],
      kept: ["a"],
      deleted: ["b"],
      running: ["c"],
    });
  });

  it("builds the node commands as argv, the ID an argument", () => {
    expect(listCapturesArgv(ID).slice(-2)).toEqual(["podcap-ls", ID]);
    expect(stopCaptureArgv(ID, true).slice(-3)).toEqual(["podcap-stop", ID, "1"]);
    expect(cleanCapturesArgv(86_400.7, false).slice(-3)).toEqual(["podcap-clean", "86400", "0"]);
  });
});

describe("a local file of the same name", () => {
  it("is downloaded, resumed, taken as complete, or refused", () => {
    expect(localAction(undefined, 10)).toEqual({ kind: "download", from: 0 });
    expect(localAction(0, 10)).toEqual({ kind: "download", from: 0 });
    expect(localAction(4, 10)).toEqual({ kind: "resume", from: 4 });
    expect(localAction(10, 10)).toEqual({ kind: "complete" });
    expect(localAction(11, 10)).toEqual({ kind: "conflict", localSize: 11 });
  });
});
