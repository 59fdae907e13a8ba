// The format of an OpenSSH public key line ("<type> <base64 blob> [comment]"), checked the same
// way in the settings form (browser) and on the server: the type is one we accept, the blob is
// valid base64 and starts with the same type name (the SSH wire format: uint32 length + name).
// No node: imports here (the form bundles it); the fingerprint (SHA-256) is computed on the
// server (ssh-keys.ts).

export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;
export type SshKeyType = (typeof SSH_KEY_TYPES)[number];

export const MAX_SSH_KEY_LENGTH = 16_384;

export const SSH_KEY_PROBLEMS = ["empty", "tooLong", "multiline", "privateKey", "unknownType", "badBase64", "typeMismatch", "tooShort"] as const;
export type SshKeyProblem = (typeof SSH_KEY_PROBLEMS)[number];

export interface ParsedSshKey {
  type: SshKeyType;
  /** The base64 blob as written. */
  base64: string;
  blob: Uint8Array;
  comment: string;
  /** "<type> <base64>[ <comment>]": what is stored and injected. */
  normalized: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeBase64(s: string): Uint8Array | null {
  if (!BASE64.test(s) || s.length % 4 !== 0) return null;
  try {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** The first SSH wire string of the blob (the key type it claims), or null when malformed. */
function blobType(blob: Uint8Array): string | null {
  if (blob.length < 4) return null;
  const len = ((blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3]) >>> 0;
  if (len === 0 || len > 64 || 4 + len > blob.length) return null;
  return String.fromCharCode(...blob.slice(4, 4 + len));
}

export function parseSshPublicKey(input: string): { ok: true; key: ParsedSshKey } | { ok: false; problem: SshKeyProblem } {
  const text = input.trim();
  if (!text) return { ok: false, problem: "empty" };
  if (text.length > MAX_SSH_KEY_LENGTH) return { ok: false, problem: "tooLong" };
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return { ok: false, problem: "privateKey" };
  if (/[\r\n]/.test(text)) return { ok: false, problem: "multiline" };
  const [type, base64, ...rest] = text.split(/\s+/);
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) return { ok: false, problem: "unknownType" };
  if (!base64) return { ok: false, problem: "badBase64" };
  const blob = decodeBase64(base64);
  if (!blob) return { ok: false, problem: "badBase64" };
  const claimed = blobType(blob);
  if (claimed === null) return { ok: false, problem: "badBase64" };
  if (claimed !== type) return { ok: false, problem: "typeMismatch" };
  // An ed25519 key is 51 bytes (name + 32-byte key); anything shorter than the name plus a few
  // bytes is a truncated paste.
  if (blob.length < 4 + type.length + 20) return { ok: false, problem: "tooShort" };
  const comment = rest.join(" ");
  return {
    ok: true,
    key: { type: type as SshKeyType, base64, blob, comment, normalized: comment ? `${type} ${base64} ${comment}` : `${type} ${base64}` },
  };
}
