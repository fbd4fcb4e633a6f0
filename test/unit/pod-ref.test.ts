import { describe, expect, it } from "vitest";
import { printable } from "../../src/capture/printable.js";
import { ExitCode, UsageError } from "../../src/errors.js";
import { assertNamespace, assertPodName, parsePodRef } from "../../src/kube/pod-ref.js";

/** The UsageError `run` throws; fails the test when it throws nothing or something else. */
function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error("expected a UsageError, nothing was thrown");
}

/** A refusal a user can act on: exit code 2, one short line, a hint, hostile bytes made visible. */
function expectReadableRefusal(error: UsageError): void {
  expect(error.exitCode).toBe(ExitCode.usage);
  expect(error.hint.length).toBeGreaterThan(10);
  expect([...error.message].filter((char) => char < " " || char === "\x7f")).toEqual([]);
  expect(error.message.length).toBeLessThan(160);
}

const HOSTILE_NAMES = [
  "",
  "-rf",
  "--kubeconfig=/tmp/x",
  "web;rm -rf /",
  "web && id",
  "$(touch /tmp/pwned)",
  "`id`",
  "web'1",
  'web"1',
  "web 1",
  "web\n1",
  "web\r",
  "web\0",
  "web\u001b[2J",
  "Web-1",
  "web_1",
  "wéb",
  "web-",
  ".web",
  "web.",
  "a..b",
  "a.-b",
  "a-.b",
  "..",
  "../kube-system/secret",
  "web*",
  "a".repeat(254),
  "a".repeat(1_000_000),
];
/** [title, value]: test titles show the values escaped and cut short. */
const HOSTILE = HOSTILE_NAMES.map((name) => [printable(name), name]);

describe("parsePodRef", () => {
  it.each([
    ["web-6b7f9d8c5-x2x9z", "web-6b7f9d8c5-x2x9z"],
    ["pod/web-1", "web-1"],
    ["pods/web-1", "web-1"],
    ["po/web-1", "web-1"],
    ["Pod/web-1", "web-1"],
    ["coredns-5d78c9869d-abcde", "coredns-5d78c9869d-abcde"],
    ["web.v2", "web.v2"],
    ["0", "0"],
    ["a".repeat(253), "a".repeat(253)],
    [`${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`, undefined],
  ])("reads %j", (ref, name) => {
    expect(parsePodRef(ref)).toBe(name ?? ref);
  });

  it.each(["deploy/web", "deployment/web", "svc/web", "statefulset/db", "node/node-a", "/web", "DEPLOY/web"])(
    "refuses %j: a capture takes one pod, and the hint says how to find a workload's pods",
    (ref) => {
      const error = usageError(() => parsePodRef(ref));
      expectReadableRefusal(error);
      expect(error.message).toContain("takes one pod");
      expect(error.hint).toContain("kubectl get pods -l");
    },
  );

  it.each(HOSTILE)("refuses the pod name %s", (_title, name) => {
    expectReadableRefusal(usageError(() => parsePodRef(name)));
    const error = usageError(() => parsePodRef(`pod/${name}`));
    expectReadableRefusal(error);
    expect(error.message).toMatch(/^invalid pod name "/);
  });

  it("refuses a second slash instead of reading a path", () => {
    expect(() => parsePodRef("pod/kube-system/web")).toThrow(/invalid pod name "kube-system\/web"/);
  });

  it("shows a hostile kind escaped and cut short, never raw", () => {
    const error = usageError(() => parsePodRef(`de\nploy\u001b]0;x\u0007${"y".repeat(500)}/web`));
    expectReadableRefusal(error);
    expect(error.message).toContain("de\\nploy\\u001b]0;x\\u0007");
  });

  it("refuses a million-character name quickly", () => {
    const started = performance.now();
    expect(() => assertPodName(`${"a-".repeat(500_000)}!`)).toThrow(UsageError);
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe("assertNamespace", () => {
  it.each(["default", "kube-system", "demo", "a", "0", "a".repeat(63)])("accepts %j", (namespace) => {
    expect(assertNamespace(namespace)).toBe(namespace);
  });

  it.each([...HOSTILE, ...["a".repeat(64), "kube.system", "Default"].map((n) => [printable(n), n])])(
    "refuses %s",
    (_title, namespace) => {
      const error = usageError(() => assertNamespace(namespace));
      expectReadableRefusal(error);
      expect(error.message).toMatch(/^invalid namespace "/);
    },
  );
});
