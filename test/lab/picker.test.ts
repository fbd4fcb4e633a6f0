// The interactive picker for real: `podcap` run in a tmux pseudo-terminal against the lab,
// answered with key presses (no mocked prompts). It must capture the web pod's HTTP, print the
// one-shot command that does the same (and that command must run), go back a step on Esc and on
// "← back", exit 130 on Ctrl-C at a question with no SSH login on any node, and never prompt
// without a terminal.

import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensureLab,
  kubectl,
  labPaths,
  podcap,
  podNamed,
  REPO_DIR,
  run,
  settledLeftovers,
  sshLogins,
  tsharkLines,
} from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-picker-"));
// A tmux server of its own: no user session is touched, and its environment is the one given here.
const SOCKET = `podcap-picker-${process.pid}`;
const SESSION = "picker";

const tmux = (...args: string[]) => run("tmux", ["-L", SOCKET, "-f", "/dev/null", ...args]);
const keys = (...names: string[]) => tmux("send-keys", "-t", SESSION, ...names);
const typed = (text: string) => tmux("send-keys", "-t", SESSION, "-l", text);
/** The pane as a person sees it, wrapped lines joined, with some history. */
const screen = () => tmux("capture-pane", "-p", "-J", "-t", SESSION, "-S", "-100").stdout;

/** Waits until the pane shows `what`; keys sent earlier would be dropped by a prompt not yet drawn. */
async function showing(what: string | RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (typeof what === "string" ? text.includes(what) : what.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the pane never showed ${what}:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Answers a question and waits for the next one, so no key reaches a prompt still drawing. */
async function answer(next: string | RegExp, ...keyNames: string[]): Promise<string> {
  keys(...keyNames);
  return showing(next);
}

/** Starts `podcap` (no arguments) at a fresh shell prompt in the pane; its exit code is printed after it. */
async function startPicker(): Promise<void> {
  keys("C-c");
  keys("clear", "Enter");
  // What earlier runs left on the screen and in the scrollback must not answer a wait of this one:
  // wait for the shell to have cleared the screen, then drop the history.
  const visible = () => tmux("capture-pane", "-p", "-t", SESSION).stdout;
  for (let i = 0; i < 100 && /EXIT=|\?/.test(visible()); i++) await new Promise((r) => setTimeout(r, 100));
  tmux("clear-history", "-t", SESSION);
  typed(`node ${REPO_DIR}/bin/podcap.js; echo "EXIT=$?"`);
  keys("Enter");
}

const exitCode = async (timeoutMs = 20_000) =>
  Number((await showing(/EXIT=\d+/, timeoutMs)).match(/EXIT=(\d+)/)?.[1]);

const QUESTION = {
  context: "Kubernetes context",
  namespace: "Namespace (type to search)",
  pod: "Pod (type to search",
  where: "Where in the pod",
  filter: "Which traffic",
  output: "Write the packets to",
} as const;
/** The stop question: its title line, then its first entry. */
const STOP = /Stop\s*\n.*when I press Ctrl-C/;

/** From the shell prompt to the pod question: the current context, the context's namespace (demo). */
async function toPodQuestion(): Promise<void> {
  await startPicker();
  await showing(QUESTION.context);
  await answer(QUESTION.namespace, "Enter");
  // The title comes before the list (namespaces are read from the API): a key before it is lost.
  await showing(/❯ demo/);
  await answer(QUESTION.pod, "Enter");
}

/** Types a pod's name into the search and takes it; a pod with several containers takes the default one. */
async function choosePod(name: string): Promise<void> {
  typed(name);
  await showing(new RegExp(`❯ ${name} `));
  const next = await answer(new RegExp(`${QUESTION.where}|Container \\(`), "Enter");
  if (!next.includes(QUESTION.where)) await answer(QUESTION.where, "Enter");
}

beforeAll(() => {
  ensureLab();
  const started = tmux(
    "new-session",
    "-d",
    "-s",
    SESSION,
    "-x",
    "250",
    "-y",
    "60",
    "-c",
    dir,
    "-e",
    `KUBECONFIG=${labPaths.kubeconfig}`,
    "-e",
    `PODCAP_INVENTORY=${labPaths.inventory}`,
    // The suite may run with CI=true; the person at this terminal is not a CI job.
    "env -u CI bash --norc --noprofile",
  );
  if (started.code !== 0) throw new Error(`tmux: ${started.stderr}`);
});

afterAll(() => {
  tmux("kill-server");
});

describe("podcap picker on a terminal", () => {
  const web = podNamed("web-");
  const client = podNamed("client-");
  const context = kubectl("config", "current-context").stdout.trim();
  let command = "";
  let file = "";

  it("captures the web pod's HTTP after going back from another pod, and prints the command it ran", async () => {
    await toPodQuestion();
    // The client first, then Esc at the next question: back to the pod list.
    await choosePod(client.name);
    let pane = screen();
    while (!pane.split("\n").some((line) => line.includes(QUESTION.pod) && line.startsWith("?"))) {
      keys("Escape");
      await new Promise((resolve) => setTimeout(resolve, 800));
      pane = screen();
    }
    await choosePod(web.name);
    expect(await showing(QUESTION.where)).toContain(`› ${web.name} ›`);
    await answer(QUESTION.filter, "Enter"); // eth0
    await answer(STOP, "Down", "Enter"); // HTTP
    // "← back" (Up from the first entry wraps to it) returns to the filter, HTTP still chosen.
    await answer(/❯ ← back/, "Up");
    expect(await answer(/❯ HTTP/, "Enter")).toContain(QUESTION.filter);
    await answer(STOP, "Enter");
    await answer("Duration", "Down", "Enter");
    typed("4s");
    await answer(QUESTION.output, "Enter");
    keys("Enter"); // the default file name

    expect(await exitCode(90_000)).toBe(0);
    pane = screen();
    expect(pane).toMatch(/packets, .* from demo\/web-.* \(stopped: duration/);
    const lines = pane.split("\n");
    command = (
      lines[lines.findIndex((line) => line.includes("the same capture as a command:")) + 1] ?? ""
    ).trim();
    const expected = new RegExp(
      `^podcap capture ${web.name} -n demo --context ${context} -c \\S+ -i eth0 ` +
        `-f 'tcp port 80 or tcp port 8080' -d 4s -o (demo_${web.name}_\\d{8}T\\d{6}Z\\.pcap)$`,
    );
    expect(command).toMatch(expected);
    file = join(dir, command.match(expected)?.[1] as string);
    expect(existsSync(file)).toBe(true);
    const destinations = tsharkLines(file, "-Y", "http.request", "-T", "fields", "-e", "ip.dst");
    expect(destinations.length).toBeGreaterThan(0);
    expect(destinations).toContain(web.ip);
    expect(await settledLeftovers()).toEqual([]);
  });

  it("prints a command that runs the same capture again", async () => {
    expect(command).not.toBe("");
    // Through a real shell, so the quoting is what is tested; `podcap` is this checkout's CLI.
    const again = run(
      "sh",
      ["-c", `podcap() { "${process.execPath}" "${REPO_DIR}/bin/podcap.js" "$@"; }\n${command}`],
      {
        cwd: dir,
        env: { ...process.env, KUBECONFIG: labPaths.kubeconfig, PODCAP_INVENTORY: labPaths.inventory },
      },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/\(stopped: duration/);
    expect(tsharkLines(file, "-Y", "http.request", "-T", "fields", "-e", "ip.dst")).toContain(web.ip);
    expect(await settledLeftovers()).toEqual([]);
  });

  it("exits 130 on Ctrl-C at the last question, with no SSH login on any node", async () => {
    const before = sshLogins();
    await toPodQuestion();
    await choosePod(web.name);
    await answer(QUESTION.filter, "Enter");
    await answer(STOP, "Enter");
    await answer(QUESTION.output, "Enter");
    keys("C-c");
    expect(await exitCode()).toBe(130);
    expect(screen()).toContain("interrupted at a question: nothing was started on any node");
    expect(sshLogins()).toBe(before);
    expect(await settledLeftovers()).toEqual([]);
  });
});

describe("podcap without a terminal", () => {
  it.each([
    ["CI=true", { CI: "true" }, /CI is set/],
    ["stdin not a terminal", { CI: "" }, /stdin is not a terminal/],
  ])("never prompts (%s): one line saying a pod is missing, a hint, exit 2", (_, env, reason) => {
    const before = sshLogins();
    const out = podcap([], env);
    const lines = out.stderr.trim().split("\n");
    expect(out.code, out.stderr).toBe(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^podcap: no pod to capture/);
    expect(lines[0]).toMatch(reason);
    expect(lines[1]).toMatch(/^ {2}hint: .*podcap capture POD/);
    expect(sshLogins()).toBe(before);
  });

  it("never prompts with --no-interactive either", () => {
    const out = podcap(["pick", "--no-interactive"], { CI: "" });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--no-interactive/);
  });
});
