// Server side of SSH keys: OpenSSH's SHA256 fingerprint of a key blob.
import { createHash } from "node:crypto";
import { parseSshPublicKey } from "./ssh-key-format";

/** "SHA256:<base64 without padding>", as `ssh-keygen -lf` prints it. */
export function sshFingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** Fingerprint of a key line; null when it is not a valid public key. */
export function fingerprintOf(publicKey: string): string | null {
  const parsed = parseSshPublicKey(publicKey);
  return parsed.ok ? sshFingerprint(parsed.key.blob) : null;
}
