#!/usr/bin/env node
// Runs the bundle (dist/podcap.cjs) as a script compiled from V8's code cache, kept per user
// under ~/.cache/podcap (XDG_CACHE_HOME) and remade whenever the bundle or Node changes. Without
// a usable cache directory podcap only starts slower.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

const bundle = fileURLToPath(new URL("../dist/podcap.cjs", import.meta.url));
// The bundle is ASCII (the build checks it): read as latin1 it is the same text, without the
// UTF-8 decoder (~30 ms for its 4 MB here).
const source = readFileSync(bundle, "latin1");
const { size, mtimeMs } = statSync(bundle);
const digest = (text) => createHash("sha256").update(text).digest("hex").slice(0, 16);
// One cache per install (a global podcap and a project's own share the directory), named for
// the build it was made from.
const install = digest(bundle);
const cacheName = `bundle-${install}-${digest(`${size}\0${mtimeMs}\0${process.version}\0${process.arch}`)}.v8`;
const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "podcap");
const cacheFile = join(cacheDir, cacheName);

let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // first run, or no cache directory
}
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  cachedData,
});
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));

// Made as the first run ends, so it holds every function that run compiled, not only the top level.
if (cachedData === undefined || script.cachedDataRejected) process.once("exit", saveCodeCache);

function saveCodeCache() {
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const partial = `${cacheFile}.${process.pid}`;
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, cacheFile);
    // Those of this install's earlier builds are of no more use, nor those named the old way
    // (bundle-KEY.v8, one for all installs).
    for (const name of readdirSync(cacheDir))
      if (
        (name.startsWith(`bundle-${install}-`) && name !== cacheName) ||
        /^bundle-[0-9a-f]{16}\.v8$/.test(name)
      )
        rmSync(join(cacheDir, name), { force: true });
  } catch {
    // a read-only home: start without the cache next time too
  }
}

module.exports.main(process.argv);
