// Runtime sockets come from the inventory. They are passed to runtime tools as arguments, so
// they are checked here once: an absolute path a unix socket can have (sun_path holds 107
// bytes), optionally written as a unix:// URL as docker and crictl print them.

import { printable } from "../capture/printable.js";
import { ConfigInvalid } from "../errors.js";

const UNIX_SCHEME = "unix://";
const SOCKET_PATH = /^\/[A-Za-z0-9_./@+=:,-]*$/;
const SUN_PATH_MAX = 107;

/** The plain path of a socket setting, e.g. `/run/containerd/containerd.sock`. */
export function socketPath(setting: string, key: string): string {
  const path = setting.startsWith(UNIX_SCHEME) ? setting.slice(UNIX_SCHEME.length) : setting;
  if (!SOCKET_PATH.test(path) || path.includes("/../") || Buffer.byteLength(path) > SUN_PATH_MAX) {
    throw new ConfigInvalid(
      `inventory setting sockets.${key} is not a usable socket path: ${printable(setting)}`,
      "write an absolute path such as /run/containerd/containerd.sock (or unix:///run/...), at most 107 bytes",
    );
  }
  return path;
}

/** The same socket as a `unix://` endpoint, the form docker -H and crictl --runtime-endpoint take. */
export function socketEndpoint(setting: string, key: string): string {
  return `${UNIX_SCHEME}${socketPath(setting, key)}`;
}
