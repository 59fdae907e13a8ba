// NTLMv2 (MS-NLMP) for WinRM over HTTPS: the client's side of the three-message handshake
// (NEGOTIATE, CHALLENGE, AUTHENTICATE) carried in the HTTP Negotiate scheme. No signing or
// sealing is negotiated: TLS protects the connection (WinRM over HTTP would need NTLM message
// encryption, which this does not do; the Hyper-V profile only allows https, and plain http on
// this machine for the test endpoint).
// Node's OpenSSL 3 has no MD4 (it is a "legacy" algorithm), so the NT hash uses the small
// RFC 1320 implementation below. Checked against MS-NLMP 4.2.4's test vectors (ntlm.test.ts)
// and, through the WinRM test endpoint, by an independent NTLM server (go-ntlm).
import { createHmac, randomBytes } from "node:crypto";

const SIGNATURE = Buffer.from("NTLMSSP\0", "latin1");

export const Flags = {
  UNICODE: 0x00000001,
  REQUEST_TARGET: 0x00000004,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  N128: 0x20000000,
  N56: 0x80000000,
} as const;

/** What the client asks for: Unicode, NTLM with extended session security, no key exchange. */
export const NEGOTIATE_FLAGS =
  (Flags.UNICODE | Flags.REQUEST_TARGET | Flags.NTLM | Flags.ALWAYS_SIGN | Flags.EXTENDED_SESSIONSECURITY | Flags.VERSION | Flags.N128 | Flags.N56) >>> 0;

/** Windows 10 / Server 2016+ build 20348, NTLM revision 15 (only informational). */
const VERSION = Buffer.from([10, 0, 0x7c, 0x4f, 0, 0, 0, 15]);

// ----------------------------------------------------------------------------- MD4 (RFC 1320)

export function md4(input: Buffer): Buffer {
  const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));
  const bitLen = input.length * 8;
  const padLen = ((input.length + 8) >> 6) * 64 + 64;
  const msg = Buffer.alloc(padLen);
  input.copy(msg);
  msg[input.length] = 0x80;
  msg.writeUInt32LE(bitLen >>> 0, padLen - 8);
  msg.writeUInt32LE(Math.floor(bitLen / 2 ** 32), padLen - 4);
  let a = 0x67452301,
    b = 0xefcdab89,
    c = 0x98badcfe,
    d = 0x10325476;
  const F = (x: number, y: number, z: number) => (x & y) | (~x & z);
  const G = (x: number, y: number, z: number) => (x & y) | (x & z) | (y & z);
  const H = (x: number, y: number, z: number) => x ^ y ^ z;
  for (let off = 0; off < padLen; off += 64) {
    const X = Array.from({ length: 16 }, (_, i) => msg.readUInt32LE(off + i * 4));
    const [aa, bb, cc, dd] = [a, b, c, d];
    const r1 = [3, 7, 11, 19];
    for (let i = 0; i < 16; i++) {
      const t = (a + F(b, c, d) + X[i]) | 0;
      [a, b, c, d] = [d, rotl(t, r1[i % 4]), b, c];
    }
    const r2 = [3, 5, 9, 13];
    const o2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
    for (let i = 0; i < 16; i++) {
      const t = (a + G(b, c, d) + X[o2[i]] + 0x5a827999) | 0;
      [a, b, c, d] = [d, rotl(t, r2[i % 4]), b, c];
    }
    const r3 = [3, 9, 11, 15];
    const o3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
    for (let i = 0; i < 16; i++) {
      const t = (a + H(b, c, d) + X[o3[i]] + 0x6ed9eba1) | 0;
      [a, b, c, d] = [d, rotl(t, r3[i % 4]), b, c];
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  const out = Buffer.alloc(16);
  [a, b, c, d].forEach((v, i) => out.writeUInt32LE(v >>> 0, i * 4));
  return out;
}

// ----------------------------------------------------------------------------- keys and responses

const utf16 = (s: string) => Buffer.from(s, "utf16le");
const hmacMd5 = (key: Buffer, ...data: Buffer[]) => {
  const h = createHmac("md5", key);
  for (const d of data) h.update(d);
  return h.digest();
};

/** NTOWFv1: MD4 of the UTF-16LE password (the "NT hash"). */
export const ntHash = (password: string) => md4(utf16(password));

/** NTOWFv2 (= LMOWFv2): HMAC-MD5 keyed by the NT hash over upper-cased user and the domain as given. */
export const responseKeyV2 = (user: string, domain: string, password: string) => hmacMd5(ntHash(password), utf16(user.toUpperCase() + domain));

export interface NtlmV2Response {
  ntChallengeResponse: Buffer;
  lmChallengeResponse: Buffer;
  ntProofStr: Buffer;
  sessionBaseKey: Buffer;
}

/** ComputeResponse for NTLMv2 (MS-NLMP 3.3.2). `timestamp` is a FILETIME, little-endian. */
export function computeV2Response(
  responseKey: Buffer,
  serverChallenge: Buffer,
  clientChallenge: Buffer,
  timestamp: Buffer,
  targetInfo: Buffer,
): NtlmV2Response {
  const temp = Buffer.concat([Buffer.from([1, 1]), Buffer.alloc(6), timestamp, clientChallenge, Buffer.alloc(4), targetInfo, Buffer.alloc(4)]);
  const ntProofStr = hmacMd5(responseKey, serverChallenge, temp);
  return {
    ntProofStr,
    ntChallengeResponse: Buffer.concat([ntProofStr, temp]),
    lmChallengeResponse: Buffer.concat([hmacMd5(responseKey, serverChallenge, clientChallenge), clientChallenge]),
    sessionBaseKey: hmacMd5(responseKey, ntProofStr),
  };
}

// ----------------------------------------------------------------------------- messages

/** NEGOTIATE_MESSAGE: no domain or workstation supplied. */
export function negotiateMessage(): Buffer {
  const m = Buffer.alloc(40);
  SIGNATURE.copy(m, 0);
  m.writeUInt32LE(1, 8);
  m.writeUInt32LE(NEGOTIATE_FLAGS, 12);
  // DomainNameFields and WorkstationFields: empty, pointing at the end of the header.
  m.writeUInt32LE(40, 20);
  m.writeUInt32LE(40, 28);
  VERSION.copy(m, 32);
  return m;
}

export interface Challenge {
  flags: number;
  serverChallenge: Buffer;
  targetInfo: Buffer;
  /** AV pairs of the target info, by id (MsvAvTimestamp = 7). */
  avPairs: Map<number, Buffer>;
}

const AV_EOL = 0;
const AV_TIMESTAMP = 7;

/** Parses a CHALLENGE_MESSAGE; throws on anything that is not one. */
export function parseChallenge(msg: Buffer): Challenge {
  if (msg.length < 32 || !msg.subarray(0, 8).equals(SIGNATURE) || msg.readUInt32LE(8) !== 2) throw new Error("not an NTLM challenge message");
  const flags = msg.readUInt32LE(20);
  const serverChallenge = Buffer.from(msg.subarray(24, 32));
  let targetInfo = Buffer.alloc(0);
  if (msg.length >= 48) {
    const len = msg.readUInt16LE(40);
    const off = msg.readUInt32LE(44);
    if (len && off + len <= msg.length) targetInfo = Buffer.from(msg.subarray(off, off + len));
  }
  const avPairs = new Map<number, Buffer>();
  for (let i = 0; i + 4 <= targetInfo.length; ) {
    const id = targetInfo.readUInt16LE(i);
    const len = targetInfo.readUInt16LE(i + 2);
    if (id === AV_EOL) break;
    avPairs.set(id, Buffer.from(targetInfo.subarray(i + 4, i + 4 + len)));
    i += 4 + len;
  }
  return { flags, serverChallenge, targetInfo, avPairs };
}

/** The current time as a FILETIME (100 ns since 1601-01-01), little-endian. */
export function fileTime(now = Date.now()): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE((BigInt(now) + 11_644_473_600_000n) * 10_000n);
  return b;
}

/** Splits DOMAIN\user or user@domain; a bare name has no domain (a local account). */
export function splitUser(username: string): { user: string; domain: string } {
  const back = username.indexOf("\\");
  if (back >= 0) return { domain: username.slice(0, back), user: username.slice(back + 1) };
  const at = username.lastIndexOf("@");
  if (at > 0) return { user: username.slice(0, at), domain: username.slice(at + 1) };
  return { user: username, domain: "" };
}

/**
 * AUTHENTICATE_MESSAGE answering `challenge` with an NTLMv2 response. The timestamp is the
 * server's (MsvAvTimestamp) when it sent one, as MS-NLMP asks; then the LMv2 response is zeros.
 */
export function authenticateMessage(
  challenge: Challenge,
  creds: { username: string; password: string; workstation?: string },
  fixed: { clientChallenge?: Buffer; timestamp?: Buffer } = {},
): Buffer {
  const { user, domain } = splitUser(creds.username);
  const key = responseKeyV2(user, domain, creds.password);
  const serverTime = challenge.avPairs.get(AV_TIMESTAMP);
  const r = computeV2Response(key, challenge.serverChallenge, fixed.clientChallenge ?? randomBytes(8), fixed.timestamp ?? serverTime ?? fileTime(), challenge.targetInfo);
  const lm = serverTime ? Buffer.alloc(24) : r.lmChallengeResponse;
  const fields = [lm, r.ntChallengeResponse, utf16(domain), utf16(user), utf16(creds.workstation ?? ""), Buffer.alloc(0)];
  // Header: 64 bytes of fields and flags, then the version; the payload follows.
  const headerLen = 72;
  const m = Buffer.alloc(headerLen + fields.reduce((n, f) => n + f.length, 0));
  SIGNATURE.copy(m, 0);
  m.writeUInt32LE(3, 8);
  let offset = headerLen;
  fields.forEach((f, i) => {
    const at = 12 + i * 8;
    m.writeUInt16LE(f.length, at);
    m.writeUInt16LE(f.length, at + 2);
    m.writeUInt32LE(offset, at + 4);
    f.copy(m, offset);
    offset += f.length;
  });
  // Only flags both sides agreed on (no key exchange: TLS protects the channel).
  m.writeUInt32LE((NEGOTIATE_FLAGS & (challenge.flags | Flags.VERSION)) >>> 0, 60);
  VERSION.copy(m, 64);
  return m;
}
