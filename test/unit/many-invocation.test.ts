// `podcap capture` with many targets: which flags make a fan-out, what each becomes, and that
// contradictions are refused before any connection.

import { describe, expect, it } from "vitest";
import type { ManyResult, TargetResult } from "../../src/capture/capture-many.js";
import type { CaptureFlags } from "../../src/cli/capture-options.js";
import { isOnePod, manyInvocation } from "../../src/cli/many-invocation.js";
import { exitCodeOf } from "../../src/cli/run-capture-many.js";
import { CaptureFailed, ExitCode, PodNotFound, UsageError } from "../../src/errors.js";

const DEFAULTS: CaptureFlags = { interface: "eth0", nodeLimit: "1h" };
const flags = (more: Partial<CaptureFlags> = {}) => ({ ...DEFAULTS, ...more });

describe("isOnePod", () => {
  it("keeps one plain pod on the one-pod path (a pcap)", () => {
    expect(isOnePod(["web-1"], flags())).toBe(true);
    expect(isOnePod(["pod/web-1"], flags({ duration: "5s" }))).toBe(true);
  });

  it.each([
    [["web-1", "web-2"], {}],
    [["deploy/web"], {}],
    [["svc/web"], {}],
    [[], { selector: "app=web" }],
    [[], { node: "node-a" }],
    [["web-1"], { follow: true }],
    [["web-1"], { split: true }],
  ])("fans out for %j %j", (targets, more) => {
    expect(isOnePod(targets, flags(more))).toBe(false);
  });
});

describe("manyInvocation", () => {
  it("turns names, -l and --node into one query, with the capture options of every pod", () => {
    const { request, split, mergedMaxBytes } = manyInvocation(
      ["deploy/web", "client-1"],
      flags({ node: "node-a", filter: "tcp port 80", duration: "10s", maxSize: "1MB", namespace: "demo" }),
    );
    expect(request.query).toEqual({
      refs: [
        { kind: "deployment", name: "web" },
        { kind: "pod", name: "client-1" },
      ],
      selector: undefined,
      node: "node-a",
      allNamespaces: false,
    });
    expect(request.capture).toMatchObject({
      filter: "tcp port 80",
      durationSeconds: 10,
      maxBytes: undefined,
    });
    expect(mergedMaxBytes).toBe(1_000_000);
    expect(split).toBe(false);
    expect(request.follow).toBe(false);
  });

  it("bounds each file instead of the merged one with --split", () => {
    const invocation = manyInvocation(["deploy/web"], flags({ split: true, maxSize: "1MB", output: "out" }));
    expect(invocation.request.capture.maxBytes).toBe(1_000_000);
    expect(invocation.mergedMaxBytes).toBeUndefined();
  });

  it.each([
    [[], {}, "no capture target"],
    [["web-1"], { selector: "app=web" }, "not both"],
    [["web-1"], { allNamespaces: true }, "-A works with -l"],
    [[], { selector: "app=web", allNamespaces: true, namespace: "demo" }, "-A and -n"],
    [["deploy/web"], { split: true, output: "-" }, "--split writes one file per pod"],
    [[], { selector: "app=web;id" }, "invalid label selector"],
    [[], { node: "node-a;id" }, "invalid"],
    [["cm/web"], {}, "cannot capture"],
    [["deploy/web"], { filter: "-w /etc/passwd" }, "capture filter"],
  ])("refuses %j %j", (targets, more, message) => {
    expect(() => manyInvocation(targets, flags(more))).toThrow(UsageError);
    expect(() => manyInvocation(targets, flags(more))).toThrow(message);
  });
});

describe("exitCodeOf", () => {
  const outcome = {
    reason: "duration" as const,
    progress: { packets: 1, bytes: 40 },
    messages: [] as string[],
  };
  const captured: TargetResult = { key: "demo/a", status: "captured", outcome: { ...outcome } };
  const failed: TargetResult = { key: "demo/b", status: "failed", error: new CaptureFailed("x", "y") };
  const missing: TargetResult = { key: "demo/c", status: "failed", error: new PodNotFound("x", "y") };
  const skipped: TargetResult = { key: "demo/d", status: "skipped", error: new PodNotFound("x", "y") };
  const lost: TargetResult = { ...captured, outcome: { ...outcome, reason: "connection-lost" } };
  const code = (...targets: TargetResult[]): number => exitCodeOf({ targets } satisfies ManyResult);

  it("is 0 when every target was captured, skipped ones aside", () => {
    expect(code(captured, captured, skipped)).toBe(ExitCode.ok);
  });
  it("is 10 when only some were", () => {
    expect(code(captured, failed)).toBe(ExitCode.partial);
    expect(code(captured, lost)).toBe(ExitCode.partial);
  });
  it("is the first failure's own code when none was", () => {
    expect(code(missing, failed)).toBe(ExitCode.notFound);
    expect(code(failed)).toBe(ExitCode.captureFailed);
    expect(code(skipped)).toBe(ExitCode.notFound);
  });
});
