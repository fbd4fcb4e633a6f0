// Jump host specs as OpenSSH writes them (`ssh -J`, ProxyJump): `[user@]host[:port]`, the
// `ssh://[user@]host[:port]` form, and `[v6::addr]:port`; a comma separates hops.

export interface HopSpec {
  host: string;
  user?: string;
  port?: number;
}

const PORT = /^\d{1,5}$/;

function parsePort(text: string, spec: string): number {
  const port = Number(text);
  if (!PORT.test(text) || port < 1 || port > 65535) throw new Error(`bad port in jump host "${spec}"`);
  return port;
}

/** One hop; throws an Error saying what is wrong with the spec. */
export function parseHopSpec(spec: string): HopSpec {
  let rest = spec.trim().replace(/^ssh:\/\//, "");
  let user: string | undefined;
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (user === "") throw new Error(`empty user in jump host "${spec}"`);
  }
  let host = rest;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1] ?? "";
    if (bracketed[2] !== undefined) port = parsePort(bracketed[2], spec);
  } else if (rest.split(":").length === 2) {
    const [name, portText] = rest.split(":") as [string, string];
    host = name;
    port = parsePort(portText, spec);
  }
  if (host === "" || /[\s/@]/.test(host)) throw new Error(`bad host in jump host "${spec}"`);
  return { host, ...(user ? { user } : {}), ...(port ? { port } : {}) };
}

/** A ProxyJump value: hops outermost first; `none` means no jump host. */
export function parseProxyJump(value: string): HopSpec[] {
  if (value.trim().toLowerCase() === "none") return [];
  return value.split(",").map(parseHopSpec);
}
