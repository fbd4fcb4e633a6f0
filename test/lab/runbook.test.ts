// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbooks write ${var} literally
// `podcap run` on the lab, as an ops person runs it: every example runbook for real (seconds
// instead of hours, through --var), its output directory checked as a reader would (pcaps that
// tshark reads to the end, holding the flows asked for; manifest.json with each step's result);
// bad runbooks refused at their line before anything runs on any node; nothing left behind.
// The lab is brought up by scripts/test before the suite (lab-env's ensureLab would do the same).

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { podcap, podNamed, type Ran, settledLeftovers, sshLogins, tsharkLines } from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-runbook-"));
const CAPTURES = "/var/lib/podcap/captures";
const LONG = 150_000;

interface Step {
  name: string;
  kind: string;
  status: string;
  files: string[];
  packets?: number;
  exitCode?: number;
  skipped?: string;
  steps?: Step[];
  // biome-ignore lint/suspicious/noExplicitAny: each kind's own detail, read field by field
  detail?: any;
}

/** Runs a runbook into a new directory; its --json object, which must be its manifest.json. */
function run(
  file: string,
  out: string,
  ...args: string[]
): { ran: Ran; manifest: { steps: Step[]; [k: string]: unknown } } {
  const ran = podcap(["run", file, "-o", join(dir, out), "--json", ...args]);
  const manifest = JSON.parse(readFileSync(join(dir, out, "manifest.json"), "utf8"));
  expect(JSON.parse(ran.stdout)).toEqual(manifest);
  return { ran, manifest };
}

const leaves = (steps: Step[]): Step[] => steps.flatMap((s) => (s.steps ? leaves(s.steps) : [s]));
const step = (steps: Step[], name: string) => leaves(steps).find((s) => s.name === name) as Step;
const fields = (file: string, ...names: string[]) =>
  tsharkLines(file, "-T", "fields", ...names.flatMap((n) => ["-e", n])).map((line) => line.split("\t"));

afterAll(async () => {
  expect(await settledLeftovers()).toEqual([]);
});

describe("podcap run", () => {
  it(
    "dns-trouble: UDP 53 at the clients and at the DNS server at once, then the clients' sockets",
    () => {
      const client = podNamed("client-");
      const dns = podNamed("coredns-", "kube-system");
      const { ran, manifest } = run("runbooks/dns-trouble.yaml", "dns", "--var", "duration=3s");
      expect(ran.code, ran.stderr).toBe(0);
      expect(manifest).toMatchObject({
        status: "ok",
        exitCode: 0,
        runbook: { name: "dns-trouble" },
        vars: { duration: "3s" },
      });
      expect(manifest.who).toMatchObject({ kubeUser: expect.any(String), localUser: expect.any(String) });
      for (const [name, pod] of [
        ["clients", client],
        ["dns-server", dns],
      ] as const) {
        const captured = step(manifest.steps, name);
        expect(captured).toMatchObject({ status: "ok", exitCode: 0, files: [`${name}.pcapng`] });
        const packets = fields(join(dir, "dns", `${name}.pcapng`), "ip.src", "ip.dst", "udp.port");
        expect(packets.length).toBe(captured.packets);
        expect(packets.length).toBeGreaterThan(0);
        expect(
          packets.every(
            ([src, dst, ports]) => (src === pod.ip || dst === pod.ip) && ports?.split(",").includes("53"),
          ),
        ).toBe(true);
      }
      const sockets = step(manifest.steps, "client-sockets");
      expect(sockets).toMatchObject({ status: "ok", exitCode: 0 });
      const log = sockets.files.find((f) => f.endsWith(".stdout")) as string;
      expect(readFileSync(join(dir, "dns", log), "utf8")).toMatch(/State\s+Recv-Q/);
    },
    LONG,
  );

  it(
    "http-pod-and-node: client and web at their pods' eth0 and at their nodes, in one pcapng; the client's bundle",
    () => {
      const client = podNamed("client-");
      const web = podNamed("web-");
      const { ran, manifest } = run(
        "runbooks/http-pod-and-node.yaml",
        "http",
        ...["--var", "duration=3s", "--var", "where=pod,node:eth0", "--var", `server=pod/${web.name}`],
      );
      expect(ran.code, ran.stderr).toBe(0);
      const http = step(manifest.steps, "http");
      expect(http.detail.targets.map((t: { status: string }) => t.status)).toEqual(Array(4).fill("captured"));
      const packets = fields(
        join(dir, "http", "http.pcapng"),
        "frame.interface_name",
        "ip.src",
        "ip.dst",
        "tcp.port",
      );
      const at = (iface: string) => packets.filter((p) => p[0] === iface);
      for (const iface of [
        `demo/${client.name}/eth0`,
        `demo/${client.name}/node:eth0`,
        `demo/${web.name}/eth0`,
        `demo/${web.name}/node:eth0`,
      ]) {
        const flow = at(iface).filter(
          ([, src, dst]) => [src, dst].includes(client.ip) && [src, dst].includes(web.ip),
        );
        expect(flow.length, iface).toBeGreaterThan(0);
      }
      expect(packets.every((p) => p[3]?.split(",").includes("80"))).toBe(true);
      const bundle = step(manifest.steps, "client-context");
      expect(bundle.status).toBe("ok");
      const bundleDir = join(dir, "http", bundle.detail.bundles[0].directory);
      expect(JSON.parse(readFileSync(join(bundleDir, "manifest.json"), "utf8")).pod).toMatchObject({
        name: client.name,
        podIP: client.ip,
      });
      expect(readFileSync(join(bundleDir, "pod", "ip-addr.txt"), "utf8")).toContain(client.ip);
    },
    LONG,
  );

  it(
    "night-capture: detached and rotating, waited for, then fetched, merged and deleted from the node",
    () => {
      const client = podNamed("client-");
      const { ran, manifest } = run(
        "runbooks/night-capture.yaml",
        "night",
        ...["--var", "duration=4s", "--var", "rotate_every=2s"],
      );
      expect(ran.code, ran.stderr).toBe(0);
      const [capture] = step(manifest.steps, "night").detail.captures;
      expect(capture).toMatchObject({ pod: client.name, node: client.node });
      expect(step(manifest.steps, "until-morning")).toMatchObject({
        status: "ok",
        detail: { seconds: 4, cutShort: false },
      });
      const morning = step(manifest.steps, "morning");
      expect(morning.status).toBe("ok");
      const merged = join(dir, "night", "morning", capture.id, `${capture.id}.pcapng`);
      expect(morning.files).toContain(join("morning", capture.id, `${capture.id}.pcapng`));
      expect(morning.files.filter((f) => /\.pcap\d*$/.test(f)).length).toBeGreaterThanOrEqual(2);
      const packets = fields(merged, "ip.src", "ip.dst");
      expect(packets.length).toBe(morning.packets);
      expect(packets.some(([src, dst]) => src === client.ip || dst === client.ip)).toBe(true);
      expect(existsSync(join(CAPTURES, capture.id))).toBe(false);
    },
    LONG,
  );

  it(
    "stop.after ends a capture that would run on and skips what is left (exit 10)",
    () => {
      const file = join(dir, "bounded.yaml");
      writeFileSync(
        file,
        `name: bounded\nnamespace: demo\ntargets:\n  clients: { selector: app=client }\nstop: { after: 6s }\nsteps:\n  - name: forever\n    capture: { target: clients, follow: true, proto: udp }\n  - name: later\n    wait: 1s\n`,
      );
      const { ran, manifest } = run(file, "bounded");
      expect(ran.code, ran.stderr).toBe(10);
      expect(manifest).toMatchObject({ status: "partial", exitCode: 10, stoppedBy: "after" });
      expect(step(manifest.steps, "forever")).toMatchObject({
        status: "ok",
        detail: { stopReason: "duration" },
      });
      expect(step(manifest.steps, "later")).toMatchObject({
        status: "skipped",
        skipped: "the run reached stop.after",
      });
      expect(tsharkLines(join(dir, "bounded", "forever.pcapng")).length).toBeGreaterThan(0);
    },
    LONG,
  );

  it("--dry-run shows the pods, nodes and argv of each step, and reaches no node", () => {
    const before = sshLogins();
    const out = podcap(["run", "runbooks/dns-trouble.yaml", "--dry-run", "--json"]);
    expect(out.code, out.stderr).toBe(0);
    const dry = JSON.parse(out.stdout);
    const [group, exec] = dry.steps;
    expect(group.steps[0].pods[0]).toMatchObject({
      pod: podNamed("client-").name,
      node: podNamed("client-").node,
    });
    expect(group.steps[1].pods[0].commands[0].argv).toEqual([
      ...["nsenter", "-n", "-t", "PID", "--", "tcpdump", "-i", "eth0", "-n", "-U", "-B", "16384", "-w", "-"],
      ...["--", "(udp) and (port 53)"],
    ]);
    expect(exec.pods[0].commands[0].argv).toEqual(["nsenter", "-n", "-t", "PID", "--", "ss", "-uanp"]);
    const text = podcap(["run", "runbooks/night-capture.yaml", "--dry-run", "--var", "duration=5s"]);
    expect(text.stdout).toMatch(/detached: nsenter -n -t PID -- tcpdump .* -C 50 -G 1800 /);
    expect(sshLogins()).toBe(before);
  });

  const bad: [string, string, number, RegExp][] = [
    [
      "unknown field",
      "  - capture: { target: clients, duraton: 5s }\n",
      2,
      /^podcap: bad\.yaml:7:33: steps\[0\]\.capture\.duraton: unknown field\n {2}hint: did you mean duration\?/,
    ],
    [
      "wrong type",
      "  - capture: { target: clients, follow: often }\n",
      2,
      /^podcap: bad\.yaml:7:41: steps\[0\]\.capture\.follow: expected true or false/,
    ],
    [
      "unknown step",
      "  - captur: { target: clients }\n",
      2,
      /^podcap: bad\.yaml:7:5: steps\[0\]\.captur: unknown step kind "captur"/,
    ],
    [
      "unresolved variable",
      "  - wait: ${pause}\n",
      2,
      /^podcap: bad\.yaml:7:11: steps\[0\]\.wait: unresolved variable \$\{pause\}/,
    ],
    [
      "a check of capture's",
      "  - capture: { target: clients, port: 99999 }\n",
      2,
      /^podcap: bad\.yaml:7:39: steps\[0\]\.capture\.port: invalid port "99999"\n {2}hint: give a port number/,
    ],
    [
      "a target that matches nothing",
      "  - capture: { target: nothing }\n",
      3,
      /^podcap: bad\.yaml:5:12: targets\.nothing: -l app=nothing-here matches no pod in namespace "demo"/,
    ],
  ];
  it.each(bad)("refuses a runbook with %s at its line, and runs nothing", (_, steps, code, message) => {
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      `name: bad\nnamespace: demo\ntargets:\n  clients: { selector: app=client }\n  nothing: { selector: app=nothing-here }\nsteps:\n${steps}`,
    );
    const before = sshLogins();
    const out = podcap(["run", file, "-o", join(dir, "never")], {});
    expect(out.code, out.stderr).toBe(code);
    expect(out.stderr.replaceAll(dir, "").replace(/^podcap: \//, "podcap: ")).toMatch(message);
    expect(existsSync(join(dir, "never"))).toBe(false);
    expect(sshLogins()).toBe(before);
  });

  it("lists nothing it did not write", () => {
    expect(readdirSync(join(dir, "dns")).sort()).toEqual([
      "client-sockets",
      "clients.pcapng",
      "dns-server.pcapng",
      "manifest.json",
    ]);
  });
});
