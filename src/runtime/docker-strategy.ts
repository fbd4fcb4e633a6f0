// docker: `docker container inspect ID` prints a JSON array. JSON rather than
// `--format '{{.State.Pid}}'` because it also says whether the container runs or is paused, and
// `container inspect` rather than `inspect` so an image with a matching ID can never answer.

import * as z from "zod";
import type { SshTarget } from "../inventory/ssh-target.js";
import { assertContainerId } from "./container-id.js";
import { asHostPid, parseJsonOutput } from "./inspect-output.js";
import { containerNotRunning, containerUnknown, unreadableOutput } from "./runtime-errors.js";
import { socketEndpoint } from "./socket-path.js";
import type { RuntimeStrategy } from "./strategy.js";

const TOOL = "docker";

const dockerInspect = z.array(
  z.object({
    Id: z.string(),
    State: z.object({
      Status: z.string().optional(),
      Running: z.boolean(),
      Paused: z.boolean().optional(),
      Pid: z.number(),
    }),
  }),
);

function containerInspect(containerIds: string[], sockets: SshTarget["sockets"]): string[] {
  const host = sockets.docker === undefined ? [] : ["-H", socketEndpoint(sockets.docker, "docker")];
  return [TOOL, ...host, "container", "inspect", ...containerIds.map(assertContainerId)];
}

export const dockerStrategy: RuntimeStrategy = {
  name: "docker",
  schemes: ["docker"],

  inspectArgv: (containerId, sockets) => containerInspect([containerId], sockets),
  // One JSON array for them all; docker exits 1 if any is unknown, and still lists the others.
  inspectManyArgv: containerInspect,

  parsePid(stdout, containerId) {
    const parsed = dockerInspect.safeParse(parseJsonOutput(TOOL, stdout));
    if (!parsed.success) throw unreadableOutput(TOOL, "no State.Running/State.Pid in the inspect JSON");
    const container = parsed.data.find((entry) => entry.Id.startsWith(containerId));
    if (container === undefined) throw containerUnknown(TOOL, containerId);
    const { State: state } = container;
    if (!state.Running) throw containerNotRunning(TOOL, containerId, state.Status ?? "not running");
    // A paused container keeps its network namespace, but nothing in it answers: refuse
    // rather than hand the user a capture of one-way traffic.
    if (state.Paused === true) throw containerNotRunning(TOOL, containerId, "paused");
    const pid = asHostPid(state.Pid);
    if (pid === undefined) throw unreadableOutput(TOOL, `State.Pid is ${state.Pid} for a running container`);
    return pid;
  },
};
