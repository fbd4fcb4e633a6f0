import { build } from "esbuild";
const pure = { name: "pure", setup(b) {
  b.onResolve({ filter: /.*/ }, async (args) => {
    if (args.pluginData?.pure) return;
    const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { pure: true } });
    if (r.errors.length) return;
    if (/node_modules\/(@kubernetes\/client-node|zod)\//.test(r.path)) return { ...r, sideEffects: false };
    return r;
  });
}};
const r = await build({
  entryPoints: ["src/cli/main.ts"], write: false, metafile: true, outfile: "/tmp/x.cjs", bundle: true, platform: "node", format: "cjs", target: "node20",
  minifyWhitespace: true, minifySyntax: true, external: ["cpu-features", "*.node"], logLevel: "error", plugins: process.env.PURE ? [pure] : [],
  alias: { "whatwg-url": "./scripts/build-stubs/whatwg-url.cjs" },
});
const out = Object.values(r.metafile.outputs)[0];
const by = {};
for (const [p, v] of Object.entries(out.inputs)) { const m = p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/); const k = m ? m[1] : "src"; by[k] = (by[k] ?? 0) + v.bytesInOutput; }
console.log("total", (out.bytes/1024).toFixed(0)+"K", Object.entries(by).sort((a,b)=>b[1]-a[1]).slice(0,6).map(([k,v])=>`${k} ${(v/1024).toFixed(0)}K`).join(", "));
