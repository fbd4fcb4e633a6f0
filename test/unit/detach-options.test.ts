// `podcap capture POD --detach` flags -> the detached request: defaults, the hard limit (a day
// unless -d or --node-limit says), and what does not go with --detach.

import { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { CaptureFlags } from "../../src/cli/capture-options.js";
import { addDetachOptions, type DetachFlags, detachedInvocation } from "../../src/cli/detach-options.js";
import { UsageError } from "../../src/errors.js";

/** Parses `args` the way `podcap capture` does, for the options --detach reads. */
function parse(args: string[]) {
  const command = addDetachOptions(
    new Command("capture")
      .exitOverride()
      .argument("[targets...]")
      .option("-i, --interface <iface>", "", "eth0")
      .option("-d, --duration <d>")
      .option("-o, --output <f>")
      .option("-l, --selector <s>")
      .option("--node-limit <d>", "", "1h"),
  );
  command.parse(args, { from: "user" });
  return detachedInvocation(command.args, command.opts() as CaptureFlags & DetachFlags, command);
}

describe("capture --detach", () => {
  it("defaults to 10 MB files, a new one every hour, 5 kept, for at most a day", () => {
    expect(parse(["web-1", "--detach"]).request).toEqual({
      iface: "eth0",
      filter: "",
      snaplen: undefined,
      rotation: { rotateBytes: 10_000_000, rotateSeconds: 3600, keepFiles: 5 },
      limitSeconds: 86_400,
    });
  });

  it("takes rotation options, and -d or an explicit --node-limit as the limit", () => {
    const request = parse([
      "web-1",
      "--detach",
      "--rotate-size",
      "1MiB",
      "--rotate-every",
      "30m",
      "--keep",
      "2",
    ]).request;
    expect(request.rotation).toEqual({ rotateBytes: 1_048_576, rotateSeconds: 1800, keepFiles: 2 });
    expect(parse(["web-1", "--detach", "-d", "8h"]).request.limitSeconds).toBe(8 * 3600);
    expect(parse(["web-1", "--detach", "--node-limit", "3d"]).request.limitSeconds).toBe(3 * 86_400);
  });

  it("refuses many pods, -o, a bad --keep or size", () => {
    expect(() => parse(["-l", "app=web", "--detach"])).toThrow(UsageError);
    expect(() => parse(["a", "b", "--detach"])).toThrow(UsageError);
    expect(() => parse(["web-1", "--detach", "-o", "x.pcap"])).toThrow(/-o does not go with --detach/);
    expect(() => parse(["web-1", "--detach", "--keep", "0"])).toThrow(UsageError);
    expect(() => parse(["web-1", "--detach", "--rotate-size", "lots"])).toThrow(UsageError);
  });
});
