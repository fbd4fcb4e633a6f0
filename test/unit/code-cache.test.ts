// bin/podcap.js keeps one V8 code cache per install: two installs sharing a cache directory
// (a global podcap and a project's own) keep theirs, and a rebuild replaces only its own.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const launcher = new URL("../../bin/podcap.js", import.meta.url).pathname;
let root: string;
let cacheHome: string;

/** An install: the real launcher beside a one-line bundle saying who it is. */
function install(name: string, say = name): string {
  const dir = join(root, name);
  mkdirSync(join(dir, "bin"), { recursive: true });
  mkdirSync(join(dir, "dist"), { recursive: true });
  copyFileSync(launcher, join(dir, "bin", "podcap.js"));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }');
  writeFileSync(join(dir, "dist", "podcap.cjs"), `exports.main = () => console.log(${JSON.stringify(say)});`);
  return dir;
}

const run = (dir: string) =>
  execFileSync(process.execPath, [join(dir, "bin", "podcap.js")], {
    encoding: "utf8",
    env: { ...process.env, XDG_CACHE_HOME: cacheHome },
  }).trim();
const caches = () => readdirSync(join(cacheHome, "podcap")).sort();
/** The name every cache of an install starts with. */
const cacheOf = (dir: string) =>
  `bundle-${createHash("sha256")
    .update(join(dir, "dist", "podcap.cjs"))
    .digest("hex")
    .slice(0, 16)}-`;
const made = (name: string) => statSync(join(cacheHome, "podcap", name)).mtimeMs;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "podcap-code-cache-"));
  cacheHome = join(root, "cache");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("the code cache", () => {
  it("is kept per install, and a later start takes it instead of making another", () => {
    const first = install("first");
    const second = install("second");
    expect(run(first)).toBe("first");
    expect(run(second)).toBe("second");
    const both = caches();
    expect(both).toHaveLength(2);
    const before = both.map(made);
    expect(run(first)).toBe("first");
    expect(run(second)).toBe("second");
    expect(caches()).toEqual(both);
    expect(caches().map(made)).toEqual(before);
  });

  it("of a rebuilt install replaces that install's own only, and one named the old way goes", () => {
    const first = install("first");
    const second = install("second");
    run(first);
    run(second);
    const secondCache = caches().filter((name) => !name.startsWith(cacheOf(first)));
    writeFileSync(join(cacheHome, "podcap", "bundle-0123456789abcdef.v8"), "");
    install("first", "rebuilt");
    expect(run(first)).toBe("rebuilt");
    const after = caches();
    expect(after).toHaveLength(2);
    expect(after).toEqual(expect.arrayContaining(secondCache));
    expect(after.filter((name) => name.startsWith(cacheOf(first)))).toHaveLength(1);
  });
});
