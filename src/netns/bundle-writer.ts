// Puts a bundle on the local disk: a new directory (0700, like the pcap's 0600: firewall rules and
// connection tables are as private as the packets), one plain file per command, pod.json, and
// manifest.json written last, so a directory with a manifest is a whole bundle.

import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { printable } from "../capture/printable.js";
import { UsageError } from "../errors.js";
import type { Bundle } from "./bundle-manifest.js";

export const MANIFEST_FILE = "manifest.json";

/** The bundle's directory, checked before anything runs: new or empty, in a directory that exists. */
export function assertBundleDir(path: string, flag = "-o"): string {
  if (path === "" || [...path].some((char) => char < " " || char === "\x7f"))
    throw new UsageError(`invalid bundle directory ${printable(path)}`, `give ${flag} a path on one line`);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory())
      throw new UsageError(`${printable(path)} exists and is not a directory`, "name a new directory");
    if (readdirSync(path).length > 0)
      throw new UsageError(
        `the bundle directory ${printable(path)} is not empty`,
        "name a new or empty directory: a bundle never mixes with older files",
      );
  } else if (!existsSync(dirname(resolve(path)))) {
    throw new UsageError(`no directory ${printable(dirname(path))} for the bundle`, "create it first");
  }
  return path;
}

export async function writeBundle(dir: string, bundle: Bundle): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const [path, bytes] of bundle.contents) {
    const file = join(dir, path);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, bytes, { mode: 0o600 });
  }
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(bundle.manifest, null, 2)}\n`, { mode: 0o600 });
}
