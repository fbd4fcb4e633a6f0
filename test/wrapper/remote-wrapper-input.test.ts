// The remote wrapper refuses what it cannot capture before starting tcpdump, and no argument
// reaches a shell as code: not through the node's login shell (the quoted command line), not
// inside the wrapper script.

import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { WrapperExit, wrapperArgv, wrapperCommandLine } from "../../src/capture/remote-wrapper.js";
import { parseInspectAnswer } from "../../src/capture/wrapper-channel.js";
import { expectNothingLeft, expectPings, expectStopped, listening } from "./wrapper-expect.js";
import {
  cleanUp,
  pathWithout,
  ping,
  processes,
  RECORDS,
  startTarget,
  startWrapper,
  type Target,
  uniqueName,
  within,
} from "./wrapper-harness.js";

const CANARY = `/tmp/pctest-pwned-${process.pid}`;
afterEach(cleanUp);
afterAll(() => rmSync(CANARY, { force: true }));

describe("a wrapper started before its target is known", () => {
  it("takes the PID from the first line of its stdin and captures", async () => {
    const { wrapper, target } = await listening({ pidOnStdin: true });
    await ping(target.namespace, 3);
    wrapper.closeStdin();
    const exit = await wrapper.exited;
    expect(exit.code).toBe(0);
    expectPings(wrapper, 3);
    expectNothingLeft(wrapper, target);
  });

  it.each([
    ["a runtime's CLI, as a process of its own under timeout", "inspect", false],
    ["a script of podcap's own (the cgroup scan), in the wrapper's shell", "podcap-test-scan", true],
  ])("runs %s first and tells its answer, each argument as it was given", async (_what, name, inShell) => {
    const hostile = `$(touch ${CANARY}) ';' "x"`;
    const script = 'printf "%s\\n" "$1"; echo "shell $$"; echo "a warning" >&2; exit 3';
    const inspectArgv = ["sh", "-c", script, name, hostile];
    const { wrapper, target } = await listening({ pidOnStdin: true, inspectArgv });
    const said = wrapper.stderr();
    expect(said).toContain(`podcap-inspect:out ${hostile}\n`);
    expect(said.includes(`podcap-inspect:out shell ${wrapper.child.pid}\n`)).toBe(inShell);
    expect(said).toContain("podcap-inspect:err a warning\n");
    expect(said).toContain("podcap-inspect:done 3\n");
    expect(said.indexOf("podcap-inspect:done")).toBeLessThan(said.indexOf("listening on"));
    expect(existsSync(CANARY)).toBe(false);
    await ping(target.namespace, 2);
    wrapper.closeStdin();
    expect((await wrapper.exited).code).toBe(0);
    expectPings(wrapper, 2);
    expectNothingLeft(wrapper, target);
  });

  it.each([
    ["awk", false],
    ["the shell's read, on a node without awk", true],
  ])(
    "tags a long inspect answer line by line with %s, a last line without a newline too",
    async (_how, noAwk) => {
      const script = String.raw`i=0; while [ $i -lt 3000 ]; do printf 'line %s \\ %%s\n' $i; i=$((i + 1)); done; printf last`;
      const inspectArgv = ["sh", "-c", script];
      const path = noAwk ? pathWithout(["awk", "mawk", "gawk", "nawk", "busybox"]) : undefined;
      const { wrapper, target } = await listening({ pidOnStdin: true, inspectArgv, path });
      const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} \\ %s\n`).join("");
      expect(parseInspectAnswer(wrapper.stderr())?.stdout.toString()).toBe(`${lines}last\n`);
      wrapper.closeStdin();
      expect((await wrapper.exited).code).toBe(0);
      expectNothingLeft(wrapper, target);
    },
  );

  it("tags a short answer with the shell alone: an awk that says nothing changes nothing", async () => {
    const path = pathWithout(["awk", "mawk", "gawk", "nawk"]);
    writeFileSync(`${path}/awk`, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const inspectArgv = ["sh", "-c", "printf 'host host\\npid 1 own /x\\nlast'"];
    const { wrapper, target } = await listening({ pidOnStdin: true, inspectArgv, path });
    expect(parseInspectAnswer(wrapper.stderr())?.stdout.toString()).toBe("host host\npid 1 own /x\nlast\n");
    wrapper.closeStdin();
    expect((await wrapper.exited).code).toBe(0);
    expectNothingLeft(wrapper, target);
  });

  it("ends with exit 75 and leaves nothing when stdin closes before a PID comes", async () => {
    const target = await startTarget();
    // An odd silence names the wrapper's nap: `sleep 7` must not outlive it.
    const wrapper = startWrapper({ targetPid: target.pid, pidOnStdin: "withheld", silenceSeconds: 7 });
    expect(await within(2000, () => processes().some((p) => p.args === "sleep 7"))).toBe(true);
    wrapper.closeStdin();
    const exit = await wrapper.exited;
    expect(exit.code).toBe(WrapperExit.noTarget);
    expect(wrapper.stderr()).toMatch(/^podcap-wrapper: no-target$/m);
    expect(existsSync(`${RECORDS}/${wrapper.id}`)).toBe(false);
    expect(processes().filter((p) => p.args === "sleep 7" && p.state !== "Z")).toEqual([]);
    expectNothingLeft(wrapper, target);
  });
});

describe("remote wrapper refusals, before any capture", () => {
  async function refused(
    spec: Parameters<typeof startWrapper>[0] | ((target: Target) => Parameters<typeof startWrapper>[0]),
  ) {
    const target = await startTarget();
    const wrapper = startWrapper(typeof spec === "function" ? spec(target) : spec);
    const exit = await wrapper.exited;
    expect(wrapper.stdout()).toHaveLength(0);
    expect(wrapper.stderr()).not.toContain("listening on");
    return { target, wrapper, exit };
  }

  it.each([
    ["a filter tcpdump cannot compile", "port 80 and (", "lo", /^tcpdump: .*syntax error/m],
    ["an interface the pod does not have", "icmp", "nosuch0", /^tcpdump: nosuch0: No such device/m],
  ])("%s: tcpdump's own words and status, before any pcap byte", async (_what, filter, iface, words) => {
    const { target, wrapper, exit } = await refused((t) => ({ targetPid: t.pid, filter, iface }));
    expect(exit.code).toBe(1);
    expect(wrapper.stderr()).toMatch(words);
    expectStopped(wrapper, "tcpdump-exited", 1);
    expectNothingLeft(wrapper, target);
  });

  it.each([
    ["in the host's own netns", () => process.pid],
    ["that does not exist", () => 99_999],
    ["that is not a number", () => Number.NaN],
  ])("a target %s: exit 71, target-gone", async (_what, pid) => {
    const { target, wrapper, exit } = await refused({ targetPid: pid() });
    expect(exit.code).toBe(WrapperExit.targetGone);
    expect(wrapper.stderr()).toMatch(/^podcap-wrapper: target-gone /m);
    expectNothingLeft(wrapper, target);
  });

  it("a record that already exists: exit 70, and the other capture's record is left alone", async () => {
    const captureId = uniqueName("pctest-cap");
    mkdirSync(`${RECORDS}/${captureId}`, { recursive: true });
    writeFileSync(`${RECORDS}/${captureId}/record`, "wrapper=1\n");
    const { wrapper, exit } = await refused((t) => ({ targetPid: t.pid, captureId }));
    expect(exit.code).toBe(WrapperExit.recordExists);
    expect(wrapper.stderr()).toContain(`podcap-wrapper: record-exists ${RECORDS}/${captureId}`);
    expect(existsSync(`${RECORDS}/${captureId}/record`)).toBe(true);
  });
});

describe("remote wrapper under hostile arguments", () => {
  it.each([
    `$(touch ${CANARY})`,
    `x;touch ${CANARY}`,
    `x\`touch ${CANARY}\``,
    "x'y",
    'x"y',
    "x\ntouch",
    "x y",
    "-rf",
    "../../etc",
    "x/y",
    "",
    "x".repeat(65),
    "x\0y",
  ])("refuses the capture id %j before building any command", (captureId) => {
    const options = {
      captureId,
      targetPid: 1,
      maxSeconds: 5,
      silenceSeconds: 5,
      filter: "",
      vantage: { vantage: "pod" as const, iface: "eth0" },
      tcpdumpArgv: ["tcpdump"],
    };
    expect(() => wrapperArgv(options)).toThrow(/bad capture id/);
    expect(() => wrapperCommandLine(options)).toThrow(/bad capture id/);
  });

  it.each([
    ["command substitution", `icmp $(touch ${CANARY})`],
    ["backquotes", `icmp \`touch ${CANARY}\``],
    ["a second command", `icmp; touch ${CANARY}`],
    ["a pipe and &&", `icmp | touch ${CANARY} && touch ${CANARY}`],
    ["quotes", `icmp' ; touch ${CANARY}; echo '" ; touch ${CANARY}`],
    ["a new line", `icmp\ntouch ${CANARY}`],
    ["an option for tcpdump", `-w ${CANARY}`],
  ])("a filter with %s reaches tcpdump as one argument, which refuses it", async (_what, filter) => {
    for (const viaShell of [true, false]) {
      const target = await startTarget();
      const wrapper = startWrapper({ targetPid: target.pid, filter, viaShell });
      expect((await wrapper.exited).code).toBe(1);
      expect(wrapper.stderr()).toMatch(/^tcpdump: .*(syntax error|parse)/m);
      expect(wrapper.stdout()).toHaveLength(0);
      expect(existsSync(CANARY)).toBe(false);
      expectNothingLeft(wrapper, target);
    }
  });

  it("a valid filter full of shell metacharacters arrives intact through the node's shell", async () => {
    const filter = "icmp && !tcp && (ip[0] & 0xf0 = 0x40) || (icmp and ip[9] != 6)";
    const { target, wrapper, group } = await listening({ filter, viaShell: true });
    await ping(target.namespace, 2);
    wrapper.closeStdin();
    expect((await wrapper.exited).code).toBe(0);
    expectPings(wrapper, 2);
    expectNothingLeft(wrapper, target, group);
  });
});
