// The lab's TLS material, made with the openssl CLI: a CA, and a server certificate it signs for
// 127.0.0.1 and localhost. kubectl verifies the server against the CA file named in the kubeconfig,
// so the lab exercises the same TLS checks as a real cluster. Existing files are reused, so
// kubeconfigs written earlier stay valid across restarts.

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface LabCerts {
  caFile: string;
  caKeyFile: string;
  certFile: string;
  keyFile: string;
}

export interface CertOptions {
  /** Extra subjectAltName entries such as "IP:10.0.0.1" or "DNS:api.lab"; only used for new certs. */
  extraSans?: string[];
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

// P-256 keys: quick to make and accepted by Go's crypto/tls, which kubectl uses.
const newKeyArgs = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
const serial = () => `0x${randomBytes(16).toString("hex").replace(/^./, "1")}`;

async function makeCa(certs: LabCerts): Promise<void> {
  await run("openssl", [
    "req",
    "-x509",
    ...newKeyArgs,
    "-keyout",
    certs.caKeyFile,
    "-out",
    certs.caFile,
    "-days",
    "3650",
    "-set_serial",
    serial(),
    "-subj",
    "/CN=podcap-lab-ca",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
}

async function makeServerCert(dir: string, certs: LabCerts, sans: string[]): Promise<void> {
  const csr = join(dir, "server.csr");
  const extensions = join(dir, "server.ext");
  await writeFile(
    extensions,
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      `subjectAltName=${sans.join(",")}`,
    ].join("\n"),
  );
  try {
    await run("openssl", [
      "req",
      ...newKeyArgs,
      "-keyout",
      certs.keyFile,
      "-out",
      csr,
      "-subj",
      "/CN=podcap-lab-apiserver",
    ]);
    await run("openssl", [
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      certs.caFile,
      "-CAkey",
      certs.caKeyFile,
      "-set_serial",
      serial(),
      "-days",
      "825",
      "-extfile",
      extensions,
      "-out",
      certs.certFile,
    ]);
  } finally {
    await rm(csr, { force: true });
    await rm(extensions, { force: true });
  }
}

/** Creates what is missing under `dir` and returns the paths. A new CA always gets a new server cert. */
export async function ensureLabCerts(dir: string, options: CertOptions = {}): Promise<LabCerts> {
  await mkdir(dir, { recursive: true });
  const certs: LabCerts = {
    caFile: join(dir, "ca.crt"),
    caKeyFile: join(dir, "ca.key"),
    certFile: join(dir, "apiserver.crt"),
    keyFile: join(dir, "apiserver.key"),
  };
  const haveCa = (await exists(certs.caFile)) && (await exists(certs.caKeyFile));
  if (!haveCa) await makeCa(certs);
  const haveServer = (await exists(certs.certFile)) && (await exists(certs.keyFile));
  if (!haveCa || !haveServer) {
    await makeServerCert(dir, certs, ["IP:127.0.0.1", "DNS:localhost", ...(options.extraSans ?? [])]);
  }
  await chmod(certs.caKeyFile, 0o600);
  await chmod(certs.keyFile, 0o600);
  return certs;
}
