// The pods `lab up` makes: web replicas on three nodes, a client that talks to them over HTTP and
// asks the lab DNS all the time, a pod with an istio-proxy style sidecar first, a pod whose image
// has no shell, a completed job, and the DNS server in kube-system. Each names the workload it
// belongs to, as a Deployment's or a Job's pod would; and the Services in front of them.

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { LABEL, labContainers, type PodOwner } from "./containers.js";
import type { LabServiceSpec } from "./lab-workloads.js";
import { IMAGES, paths, SERVICE_DNS_DOMAIN } from "./layout.js";
import type { LabPodSpec } from "./pods.js";
import { withPodsLock } from "./pods-lock.js";

export const DNS_POD = { namespace: "kube-system", name: "coredns-7db6d8ff4d-x8k2p" };
const DNS_HOSTS_DIR = "/etc/lab-hosts";

const WEB_TEMPLATE_HASH = "6b7f9d8c5";
const WEB_COMMAND = ["httpd", "-f", "-p", "80", "-h", "/www"];

/** A Deployment's pod belongs to its ReplicaSet, named after the pod template's hash. */
const replicaSetOf = (deployment: string, templateHash: string): PodOwner => ({
  kind: "ReplicaSet",
  name: `${deployment}-${templateHash}`,
  deployment,
});

export const dnsPod: LabPodSpec = {
  ...DNS_POD,
  node: "node-d",
  labels: { "k8s-app": "kube-dns", "pod-template-hash": "7db6d8ff4d" },
  owner: replicaSetOf("coredns", "7db6d8ff4d"),
  containers: [
    {
      name: "coredns",
      image: IMAGES.dnsmasq,
      command: [
        "/usr/sbin/dnsmasq",
        "--keep-in-foreground",
        "--no-resolv",
        "--no-hosts",
        "--user=root",
        "--pid-file=",
        `--hostsdir=${DNS_HOSTS_DIR}`,
      ],
      mounts: { [dirname(paths.dnsHosts)]: DNS_HOSTS_DIR },
    },
  ],
};

/** A web replica of Deployment web; `suffix` tells replicas apart. */
export function webPod(suffix: string, node: string, namespace = "demo"): LabPodSpec {
  return {
    namespace,
    name: `web-${WEB_TEMPLATE_HASH}-${suffix}`,
    node,
    labels: { app: "web", "pod-template-hash": WEB_TEMPLATE_HASH },
    owner: replicaSetOf("web", WEB_TEMPLATE_HASH),
    containers: [{ name: "web", image: IMAGES.busybox, command: WEB_COMMAND }],
  };
}

/** busybox wget crashes with -T or -O /dev/null when its output is /dev/null: bound it with timeout instead. */
const httpGet = (url: string) => `timeout 3 wget -q -O - ${url} >/dev/null 2>&1`;

/** The traffic: every second, resolve the services through the lab DNS and GET each address. */
export function clientPod(dnsIp: string): LabPodSpec {
  const names = ["web", "static"].map((service) => `${service}.demo.svc.${SERVICE_DNS_DOMAIN}`).join(" ");
  const loop = [
    "while true; do",
    `  for name in ${names}; do`,
    `    for ip in $(nslookup "$name" ${dnsIp} 2>/dev/null | sed -n 's/^Address:[[:space:]]*\\(10\\.244\\.[0-9.]*\\)$/\\1/p'); do`,
    `      ${httpGet('"http://$ip/"')}`,
    "    done",
    "  done",
    "  sleep 1",
    "done",
  ].join("\n");
  return {
    namespace: "demo",
    name: "client-5f4c8d7b9-q4w2e",
    node: "node-d",
    labels: { app: "client", "pod-template-hash": "5f4c8d7b9" },
    owner: replicaSetOf("client", "5f4c8d7b9"),
    containers: [{ name: "client", image: IMAGES.busybox, command: ["sh", "-c", loop] }],
  };
}

export const meshedPod: LabPodSpec = {
  namespace: "demo",
  name: "meshed-7c9d6b5f8-h5j6k",
  node: "node-b",
  labels: { app: "meshed", "security.istio.io/tlsMode": "istio", "pod-template-hash": "7c9d6b5f8" },
  owner: replicaSetOf("meshed", "7c9d6b5f8"),
  annotations: { "sidecar.istio.io/status": '{"containers":["istio-proxy"]}' },
  containers: [
    {
      name: "istio-proxy",
      image: IMAGES.busybox,
      command: ["httpd", "-f", "-p", "127.0.0.1:15000", "-h", "/www"],
    },
    {
      name: "app",
      image: IMAGES.busybox,
      command: [
        "sh",
        "-c",
        `httpd -p 8080 -h /www; while true; do ${httpGet("http://127.0.0.1:15000/")}; sleep 1; done`,
      ],
    },
  ],
};

export const noShellPod: LabPodSpec = {
  namespace: "demo",
  name: "static-8d5b7c6f4-n9m3b",
  node: "node-a",
  labels: { app: "static", "pod-template-hash": "8d5b7c6f4" },
  owner: replicaSetOf("static", "8d5b7c6f4"),
  containers: [
    { name: "static", image: IMAGES.noshell, command: ["/httpd", "-f", "-p", "80", "-h", "/www"] },
  ],
};

export const completedPod: LabPodSpec = {
  namespace: "demo",
  name: "migrate-db-29384756-abcde",
  node: "node-a",
  labels: { "job-name": "migrate-db-29384756" },
  completes: true,
  owner: { kind: "Job", name: "migrate-db-29384756" },
  containers: [{ name: "migrate", image: IMAGES.busybox, command: ["true"] }],
};

export const initialPods = (dnsIp: string): LabPodSpec[] => [
  webPod("k2x4p", "node-a"),
  webPod("m7q9z", "node-b"),
  webPod("t3n8v", "node-c"),
  noShellPod,
  meshedPod,
  completedPod,
  clientPod(dnsIp),
];

/**
 * The Services `kubectl get svc -A` shows and podcap's svc/NAME resolves. Their cluster IPs come
 * from 10.96.0.0/24 (SERVICE_CIDR), which nothing in the lab routes: no kube-proxy turns them into pods, and the
 * lab DNS answers service names with the pods' own addresses.
 */
export const labServices: LabServiceSpec[] = [
  {
    namespace: "demo",
    name: "web",
    selector: { app: "web" },
    clusterIP: "10.96.0.20",
    ports: [{ name: "http", port: 80 }],
  },
  {
    namespace: "demo",
    name: "static",
    selector: { app: "static" },
    clusterIP: "10.96.0.21",
    ports: [{ name: "http", port: 80 }],
  },
  {
    namespace: "kube-system",
    name: "kube-dns",
    selector: { "k8s-app": "kube-dns" },
    clusterIP: "10.96.0.10",
    ports: [{ name: "dns", port: 53, protocol: "UDP" }],
  },
];

/**
 * Rewrites the DNS records from the running pods: `<app>.<ns>.svc` for every labelled pod. Under
 * the pods lock, so concurrent `scripts/lab pod ...` runs neither share the staging file nor
 * write back records read before another run's change.
 */
export const syncDnsRecords = (): Promise<void> => withPodsLock(writeDnsRecords);

async function writeDnsRecords(): Promise<void> {
  const records = new Map<string, Set<string>>();
  for (const c of await labContainers()) {
    const app = JSON.parse(c.labels[LABEL.podLabels] ?? "{}").app as string | undefined;
    const ip = c.labels[LABEL.podIp];
    if (!app || !ip || !c.running) continue;
    const name = `${app}.${c.labels[LABEL.podNamespace]}.svc.${SERVICE_DNS_DOMAIN}`;
    records.set(ip, (records.get(ip) ?? new Set()).add(name));
  }
  const lines = [...records].map(([ip, names]) => `${ip} ${[...names].join(" ")}`);
  mkdirSync(dirname(paths.dnsHosts), { recursive: true });
  // dnsmasq watches the directory with inotify: replace the file in one rename.
  const staging = join(dirname(dirname(paths.dnsHosts)), "dns-hosts.tmp");
  writeFileSync(staging, `${lines.join("\n")}\n`);
  renameSync(staging, paths.dnsHosts);
}
