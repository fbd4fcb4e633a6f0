// podcap's own inventory for the lab: how each node is reached (user, sudo, jump host) and where
// its runtime's socket is, in the format inventory.example.yaml documents.

import { writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { BASTION, NODES, paths } from "./layout.js";

export function writeInventory(): void {
  const nodes = Object.fromEntries(
    NODES.map((node) => [
      node.name,
      {
        host: node.ip,
        user: node.user,
        ...(node.sudo ? { sudo: true } : {}),
        ...(node.behindBastion ? { jump: [`${BASTION.user}@${BASTION.ip}:22`] } : {}),
        ...(node.runtime === "containerd" ? { sockets: { containerd: paths.containerdSocket } } : {}),
      },
    ]),
  );
  const inventory = {
    defaults: { identityFiles: [paths.userKey], knownHosts: [paths.knownHosts], agent: false },
    nodes,
    // The audit logs stay inside the lab's own directories, so `lab down` takes them too.
    settings: { audit: { localPath: paths.localAudit, nodePath: paths.nodeAudit } },
  };
  writeFileSync(
    paths.inventory,
    `# podcap inventory for the built-in lab, written by scripts/lab up\n${stringify(inventory)}`,
  );
}
