// `scripts/lab up | down | status | env | pod ...`: the lab's command line.

import { Command } from "commander";
import { syncDnsRecords, webPod } from "./catalog.js";
import { down, status, up } from "./lab.js";
import { paths } from "./layout.js";
import { restartSshd } from "./nodes.js";
import { createPod, deletePod, restartContainer } from "./pods.js";

const log = (line: string) => console.error(`lab: ${line}`);

const program = new Command("lab").description("the podcap built-in lab: a small cluster made of real parts");

program
  .command("up")
  .description("bring the lab up (idempotent)")
  .action(async () => {
    const started = Date.now();
    await up(log);
    log(`up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`eval "$(scripts/lab env)"   # then: kubectl get pods -A -o wide`);
  });

program
  .command("down")
  .description("remove everything the lab made")
  .action(async () => {
    await down(log);
  });

program
  .command("status")
  .description("say what is up")
  .action(async () => {
    const { daemons, pods } = await status();
    for (const [name, alive] of Object.entries(daemons))
      console.log(`${name.padEnd(16)} ${alive ? "running" : "stopped"}`);
    console.log(`${"pods".padEnd(16)} ${pods}`);
    if (Object.values(daemons).some((alive) => !alive) || Object.keys(daemons).length === 0)
      process.exitCode = 1;
  });

program
  .command("env")
  .description("print the exports that point kubectl and podcap at the lab")
  .action(() => {
    console.log(`export KUBECONFIG=${paths.kubeconfig} PODCAP_INVENTORY=${paths.inventory}`);
  });

const pod = program.command("pod").description("add, delete or restart lab pods");
pod
  .command("add-web <suffix> <node>")
  .option("-n, --namespace <ns>", "namespace", "demo")
  .description("add a web replica (app=web) on a node")
  .action(async (suffix: string, node: string, opts: { namespace: string }) => {
    await createPod(webPod(suffix, node, opts.namespace));
    await syncDnsRecords();
  });
pod
  .command("delete <namespace> <name>")
  .description("delete a pod: its containers, veth and network namespace")
  .action(async (namespace: string, name: string) => {
    if (!(await deletePod(namespace, name))) throw new Error(`no pod ${namespace}/${name}`);
    await syncDnsRecords();
  });
pod
  .command("restart <namespace> <name> <container>")
  .description("kill a container and start its successor (new ID, restartCount + 1)")
  .action(async (namespace: string, name: string, container: string) => {
    await restartContainer(namespace, name, container);
  });
program
  .command("restart-sshd <node>")
  .description("kill a node's sshd and its sessions, then start it again")
  .action(restartSshd);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`lab: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
