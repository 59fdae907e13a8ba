// AES-256-GCM sealing of provider credentials at rest. The key comes from the environment
// (ORQ_ENCRYPTION_KEY: 32 bytes as base64 or hex); the embedded default generates one with
// `generateEncryptionKey()` and keeps it in its data folder. The sealed form is a single
// string "v1.<iv>.<tag>.<ciphertext>" (base64url parts) so it fits a text column, and an
// optional associated data string (the provider id) binds a ciphertext to its row: a
// sealed blob copied onto another provider does not open.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "../env";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CryptoError";
  }
}

/** Parses a 32-byte key written as 64 hex digits or as base64/base64url. */
export function parseEncryptionKey(text: string): Buffer {
  const s = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(s)) key = Buffer.from(s, "hex");
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) key = Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (!key || key.length !== 32) {
    throw new CryptoError("ORQ_ENCRYPTION_KEY must be 32 bytes written as 64 hex digits or as base64");
  }
  return key;
}

/** A fresh random key, base64, suitable for ORQ_ENCRYPTION_KEY. */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString("base64");
}

function keyFromEnv(): Buffer {
  const text = env().ORQ_ENCRYPTION_KEY;
  if (!text) throw new CryptoError("ORQ_ENCRYPTION_KEY is not set: provider credentials cannot be sealed or opened");
  return parseEncryptionKey(text);
}

export interface SealOptions {
  /** Defaults to the key from ORQ_ENCRYPTION_KEY. */
  key?: Buffer;
  /** Authenticated but not encrypted context, e.g. the provider id. */
  associatedData?: string;
}

export function seal(plaintext: string, opts: SealOptions = {}): string {
  const key = opts.key ?? keyFromEnv();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  if (opts.associatedData !== undefined) cipher.setAAD(Buffer.from(opts.associatedData, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), ct.toString("base64url")].join(".");
}

export function open(sealed: string, opts: SealOptions = {}): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new CryptoError("sealed value has an unknown format");
  const key = opts.key ?? keyFromEnv();
  const iv = Buffer.from(parts[1], "base64url");
  const tag = Buffer.from(parts[2], "base64url");
  const ct = Buffer.from(parts[3], "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new CryptoError("sealed value has an unknown format");
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  if (opts.associatedData !== undefined) decipher.setAAD(Buffer.from(opts.associatedData, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString("utf8");
  } catch {
    // Wrong key, wrong associated data or a tampered value: GCM cannot tell which.
    throw new CryptoError("sealed value could not be opened (wrong key or tampered data)");
  }
}

/** Seals provider credentials (a string map) as JSON. */
export function sealCredentials(credentials: Record<string, string>, opts: SealOptions = {}): string {
  return seal(JSON.stringify(credentials), opts);
}

export function openCredentials(sealed: string, opts: SealOptions = {}): Record<string, string> {
  const value: unknown = JSON.parse(open(sealed, opts));
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new CryptoError("sealed credentials are not an object");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}
