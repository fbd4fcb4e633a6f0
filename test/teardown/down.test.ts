// `scripts/lab down` leaves nothing behind: no process, network namespace, link, container,
// mount, user or file that `up` made. Runs last: it takes the shared lab down.

import { existsSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DATA_DIR, LAB_DIR, RUN_DIR } from "../../scripts/labkit/layout.js";
import { ensureLab, lab, run } from "../lab/lab-env.js";

describe("scripts/lab down", () => {
  it("removes everything the lab made", () => {
    ensureLab();
    const down = lab("down");
    expect(down.code, down.stderr).toBe(0);

    const processes = run("ps", ["-eo", "args"]).stdout.split("\n");
    const leftovers = processes.filter(
      (p) => p.includes(LAB_DIR) || p.includes(RUN_DIR) || p.includes(DATA_DIR),
    );
    expect(leftovers).toEqual([]);
    expect(run("ip", ["netns", "list"]).stdout).not.toMatch(/plab-/);
    expect(run("ip", ["-o", "link", "show"]).stdout).not.toMatch(/plab-/);
    expect(run("ip", ["route", "show", "table", "all"]).stdout).not.toMatch(
      /10\.244\.0\.0\/16|10\.77\.|10\.96\.0\.0\/24/,
    );
    const mounts = run("findmnt", ["-rn", "-o", "TARGET"]).stdout.split("\n");
    expect(
      mounts.filter((m) => m.startsWith(RUN_DIR) || m.startsWith(DATA_DIR) || m.startsWith(LAB_DIR)),
    ).toEqual([]);
    expect(run("id", ["labops"]).code).not.toBe(0);
    expect(run("id", ["labjump"]).code).not.toBe(0);
    for (const dir of [LAB_DIR, RUN_DIR, DATA_DIR]) expect(existsSync(dir), dir).toBe(false);
    expect(existsSync("/etc/sudoers.d/podcap-lab")).toBe(false);
    expect(existsSync("/run/podcap") ? readdirSync("/run/podcap") : []).toEqual([]);
    expect(lab("status").code).not.toBe(0);
  });
});
