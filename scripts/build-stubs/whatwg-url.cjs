// node-fetch 2 (under @kubernetes/client-node) falls back to whatwg-url only where Node has no
// URL of its own; Node 20 has one. The real package adds ~280 kB to parse at every start.
exports.URL = globalThis.URL;
exports.URLSearchParams = globalThis.URLSearchParams;
