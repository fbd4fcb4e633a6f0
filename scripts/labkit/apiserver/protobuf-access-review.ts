// kubectl's typed clients (e.g. `kubectl auth can-i`) POST built-in objects as protobuf, and
// client-go does not retry with JSON on a 415. The lab decodes just what it needs: the
// k8s protobuf envelope around a SelfSubjectAccessReview, field numbers from
// k8s.io/api/authorization/v1/generated.proto. Replies stay JSON, which client-go decodes by
// the response's Content-Type.

import { badRequest } from "./status.js";

export const protobufMediaType = "application/vnd.kubernetes.protobuf";

type Field = number | Buffer;

/** Wire-format fields of one message, by field number; nested messages stay as bytes. */
function readFields(bytes: Buffer): Map<number, Field[]> {
  const fields = new Map<number, Field[]>();
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      if (byte === undefined || shift > 49) throw badRequest("truncated protobuf body");
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const wireType = key % 8;
    let field: Field;
    if (wireType === 0) field = varint();
    else if (wireType === 2) {
      const length = varint();
      if (at + length > bytes.length) throw badRequest("truncated protobuf body");
      field = bytes.subarray(at, at + length);
      at += length;
    } else if (wireType === 1 || wireType === 5) {
      field = 0;
      at += wireType === 1 ? 8 : 4;
    } else throw badRequest(`unsupported protobuf wire type ${wireType}`);
    const number = Math.floor(key / 8);
    fields.set(number, [...(fields.get(number) ?? []), field]);
  }
  return fields;
}

const bytesOf = (fields: Map<number, Field[]>, number: number): Buffer | undefined => {
  const field = fields.get(number)?.[0];
  return Buffer.isBuffer(field) ? field : undefined;
};

/** The string fields of a message, named by their field numbers. */
function strings(
  bytes: Buffer | undefined,
  names: Record<number, string>,
): Record<string, string> | undefined {
  if (bytes === undefined) return undefined;
  const fields = readFields(bytes);
  const result: Record<string, string> = {};
  for (const [number, name] of Object.entries(names)) {
    const value = bytesOf(fields, Number(number));
    if (value !== undefined) result[name] = value.toString("utf8");
  }
  return result;
}

const magic = Buffer.from("k8s\0", "latin1");

/** A protobuf SelfSubjectAccessReview as the JSON the rest of the server reads. */
export function decodeAccessReview(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(magic)) throw badRequest("protobuf body without the k8s envelope");
  const unknown = readFields(body.subarray(4));
  const raw = bytesOf(unknown, 2);
  if (raw === undefined) throw badRequest("protobuf envelope without an object");
  const spec = bytesOf(readFields(raw), 2);
  const specFields = spec === undefined ? new Map<number, Field[]>() : readFields(spec);
  return {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec: {
      resourceAttributes: strings(bytesOf(specFields, 1), {
        1: "namespace",
        2: "verb",
        3: "group",
        4: "version",
        5: "resource",
        6: "subresource",
        7: "name",
      }),
      nonResourceAttributes: strings(bytesOf(specFields, 2), { 1: "path", 2: "verb" }),
    },
  };
}
