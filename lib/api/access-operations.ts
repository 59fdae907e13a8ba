// The SSH key operations of /api/v1 (lib/access), declared like lib/api/operations.ts and
// appended to its API_OPERATIONS.
import "server-only";
import { z } from "zod";
import { addSshKeySchema, deleteSshKeySchema } from "../access/schemas";
import { addSshKey } from "../access/add-ssh-key";
import { deleteSshKey } from "../access/delete-ssh-key";
import { listMySshKeys } from "../access/list-my-ssh-keys";
import { defineOperation } from "./operation";

const sshKeyList = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      type: z.string().meta({ description: "ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ..." }),
      comment: z.string(),
      fingerprint: z.string().meta({ description: "OpenSSH's SHA256 fingerprint (SHA256:<base64>)." }),
      createdAt: z.iso.datetime({ offset: true }),
    }),
  ),
});

export const listSshKeysOp = defineOperation({
  operationId: "listSshKeys",
  method: "GET",
  path: "/account/ssh-keys",
  tag: "Account",
  summary: "List your SSH public keys",
  input: z.object({}),
  verb: (ctx) => listMySshKeys(ctx),
  present: (items) => ({ items }),
  response: sshKeyList,
  errors: ["FORBIDDEN"],
});

export const addSshKeyOp = defineOperation({
  operationId: "addSshKey",
  method: "POST",
  path: "/account/ssh-keys",
  tag: "Account",
  summary: "Add an SSH public key",
  description:
    "One OpenSSH public key line (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521). Cloud-init puts your keys into the machines you request on providers that can inject them (a request may choose them with `sshKeyIds`). At most 50 keys; the same key twice is refused.",
  body: addSshKeySchema,
  input: addSshKeySchema,
  verb: addSshKey,
  status: 201,
  response: z.object({ id: z.uuid(), fingerprint: z.string() }),
  examples: { request: { name: "Laptop", publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPwRTcJQ3PM7srR3iaH6sgEqygr59vSTDSDO9VFXyCAZ alice@laptop" } },
  errors: ["VALIDATION", "FORBIDDEN"],
});

export const deleteSshKeyOp = defineOperation({
  operationId: "deleteSshKey",
  method: "DELETE",
  path: "/account/ssh-keys/{keyId}",
  tag: "Account",
  summary: "Delete one of your SSH public keys",
  description: "Machines already created keep it; machines created afterwards do not get it.",
  pathParams: { keyId: "The key's id." },
  input: deleteSshKeySchema,
  prepare: ({ params }) => ({ keyId: params.keyId }),
  verb: deleteSshKey,
  response: z.object({ keyId: z.uuid() }),
  errors: ["FORBIDDEN", "NOT_FOUND"],
});

export const ACCESS_API_OPERATIONS = [listSshKeysOp, addSshKeyOp, deleteSshKeyOp];
