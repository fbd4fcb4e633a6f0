// One lock for every change to the lab's pods, across processes.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { RUN_DIR } from "./layout.js";

/**
 * Serialises pod changes across processes: `scripts/lab pod ...` may run while a test or a person
 * runs another, and two adds on one node would otherwise take the same address. The lock is on
 * RUN_DIR itself, so it leaves no file behind; a `flock` child holds it until we close its stdin,
 * so it goes with us even if we are killed.
 */
export async function withPodsLock<T>(change: () => Promise<T>): Promise<T> {
  // flock(1) would create a missing path as a file: without RUN_DIR the lab is simply not up.
  if (!existsSync(RUN_DIR)) throw new Error(`the lab is not up (no ${RUN_DIR}): scripts/lab up`);
  const script = "echo held; exec cat >/dev/null";
  const holder = spawn("flock", ["-w", "120", RUN_DIR, "sh", "-c", script], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once("data", () => resolve());
    holder.once("error", reject);
    holder.once("exit", (code) => reject(new Error(`could not lock ${RUN_DIR} (flock exited ${code})`)));
  });
  try {
    return await change();
  } finally {
    holder.stdin.end();
  }
}
