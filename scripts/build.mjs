// Bundles the CLI into one CommonJS file that bin/podcap.js loads through V8's code cache.
// Time to first packet is a feature, and most of a start is spent loading code: hundreds of
// @kubernetes/client-node modules cost ~0.4 s unbundled; one bundle ~0.3 s to compile as an ES
// module, for which Node 20 keeps no code cache; as a script with a code cache, a small part of it.
import { readFile } from "node:fs/promises";
import { build } from "esbuild";

// ssh2 is bundled too (resolving and compiling its ~40 files at every start cost ~40 ms); its
// native parts stay outside and are loaded from node_modules as before: the optional crypto
// binding, required by a path relative to ssh2's own file, and cpu-features.
//
// ssh2 also instantiates, as it loads, a WebAssembly Poly1305 with 16 MiB of memory, used only by
// its JavaScript chacha20-poly1305 when the native binding is missing: with the binding it is
// skipped. The build fails if ssh2's source no longer reads as expected.
const POLY1305_LOAD = "POLY1305_WASM_MODULE = await require('./crypto/poly1305.js')();";
const ssh2NativeParts = {
  name: "ssh2-native-parts",
  setup(build) {
    build.onResolve({ filter: /sshcrypto\.node$/ }, () => ({
      path: "ssh2/lib/protocol/crypto/build/Release/sshcrypto.node",
      external: true,
    }));
    build.onLoad({ filter: /ssh2[\\/]lib[\\/]protocol[\\/]crypto\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes(POLY1305_LOAD))
        throw new Error(`${args.path}: the Poly1305 load is not where expected`);
      return {
        contents: source.replace(POLY1305_LOAD, `if (binding) return resolve();\n${POLY1305_LOAD}`),
        loader: "js",
      };
    });
  },
};

const { metafile } = await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/podcap.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: true,
  // Names stay (stack traces with --debug read as the source); the rest is less to parse.
  minifyWhitespace: true,
  minifySyntax: true,
  external: ["cpu-features"],
  plugins: [ssh2NativeParts],
  alias: { "whatwg-url": "./scripts/build-stubs/whatwg-url.cjs" },
  logLevel: "warning",
  // The default, stated because bin/podcap.js relies on it: non-ASCII characters are escaped, so
  // the bundle reads as latin1 without the UTF-8 decoder.
  charset: "ascii",
  metafile: true,
});
// zod is imported as a namespace (`import * as z`), which esbuild shakes: `import { z }` is one
// object holding all of zod, its ~40 locales too (+450 KB to read and load at every start).
const bundled = Object.entries(metafile.outputs["dist/podcap.cjs"].inputs);
const locales = bundled.filter(
  ([input, { bytesInOutput }]) => bytesInOutput > 0 && /zod\/.*\/locales\/(?!en\.|index\.)/.test(input),
);
if (locales.length > 0)
  throw new Error(
    `the bundle holds zod's locales (${locales[0][0]}...): import zod as \`import * as z from "zod"\``,
  );
const bundle = await readFile("dist/podcap.cjs");
const wide = bundle.findIndex((byte) => byte > 0x7f);
if (wide >= 0)
  throw new Error(`dist/podcap.cjs has a non-ASCII byte at ${wide}: bin/podcap.js reads it as latin1`);
