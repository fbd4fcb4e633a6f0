// When the lab's containers change: dockerd's event stream (its API, no process) and containerd's
// (`ctr events`, one child for the daemon's life). The API stand-in re-reads the runtimes on each
// change instead of every half second: that polling (two ctr runs, a docker list and a diff of
// every object) took a quarter of the machine's two cores, which captures and tests need.

import { spawn } from "node:child_process";
import { request } from "node:http";
import { paths } from "./layout.js";
import { ctr } from "./runtimes.js";

const RECONNECT_MS = 1000;

/** Calls `onChange` whenever a container or task of either runtime changes; returns the stop. */
export function runtimeChanges(onChange: () => void): () => void {
  let stopped = false;
  const stops = [follow(dockerEvents), follow(containerdEvents)];
  /**
   * Runs one event stream, and again a second after it ends (a restarted daemon, a lost socket):
   * once per end, though a stream may say so twice (an error, then a close).
   */
  function follow(stream: (onChange: () => void, ended: () => void) => () => void) {
    let stop = () => {};
    const start = () => {
      let over = false;
      stop = stream(onChange, () => {
        if (over || stopped) return;
        over = true;
        onChange(); // what happened while nobody listened
        setTimeout(start, RECONNECT_MS).unref();
      });
    };
    start();
    return () => stop();
  }
  return () => {
    stopped = true;
    for (const stop of stops) stop();
  };
}

function dockerEvents(onChange: () => void, ended: () => void): () => void {
  const filters = encodeURIComponent(JSON.stringify({ type: ["container"] }));
  const req = request({ socketPath: paths.dockerSocket, path: `/events?filters=${filters}` }, (res) => {
    res.on("data", onChange);
    res.on("close", ended);
  });
  req.on("error", ended);
  req.end();
  return () => req.destroy();
}

function containerdEvents(onChange: () => void, ended: () => void): () => void {
  const [file = "ctr", ...args] = ctr("events");
  const child = spawn(file, args, { stdio: ["ignore", "pipe", "ignore"] });
  // Ended with the daemon; were the daemon killed outright, it would end with containerd.
  const kill = () => child.kill();
  process.once("exit", kill);
  const over = () => {
    process.off("exit", kill);
    ended();
  };
  child.stdout.on("data", onChange);
  child.on("error", over);
  child.on("close", over);
  return kill;
}
