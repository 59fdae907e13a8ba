// NTLMv2 against Microsoft's own test vectors (MS-NLMP 4.2.4: user "User", domain "Domain",
// password "Password", server challenge 0123456789abcdef, client challenge aa..., time 0) and
// MD4 against RFC 1320's.
import { describe, expect, it } from "vitest";
import { authenticateMessage, computeV2Response, md4, negotiateMessage, ntHash, parseChallenge, responseKeyV2, splitUser } from "./ntlm";

const hex = (b: Buffer) => b.toString("hex");
const SERVER_CHALLENGE = Buffer.from("0123456789abcdef", "hex");
const CLIENT_CHALLENGE = Buffer.alloc(8, 0xaa);
const TIME = Buffer.alloc(8);
// MS-NLMP 4.2.4.3: MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL.
const TARGET_INFO = Buffer.from("02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000", "hex");

/** A CHALLENGE_MESSAGE as a server sends it (flags of MS-NLMP 4.2.4.3). */
function challengeMessage(targetInfo = TARGET_INFO): Buffer {
  const target = Buffer.from("Server", "utf16le");
  const m = Buffer.alloc(56 + target.length + targetInfo.length);
  m.write("NTLMSSP\0", 0, "latin1");
  m.writeUInt32LE(2, 8);
  m.writeUInt16LE(target.length, 12);
  m.writeUInt16LE(target.length, 14);
  m.writeUInt32LE(56, 16);
  m.writeUInt32LE(0xe28a8233, 20);
  SERVER_CHALLENGE.copy(m, 24);
  m.writeUInt16LE(targetInfo.length, 40);
  m.writeUInt16LE(targetInfo.length, 42);
  m.writeUInt32LE(56 + target.length, 44);
  target.copy(m, 56);
  targetInfo.copy(m, 56 + target.length);
  return m;
}

describe("NTLM (MS-NLMP test vectors)", () => {
  it("MD4 of RFC 1320", () => {
    expect(hex(md4(Buffer.from("")))).toBe("31d6cfe0d16ae931b73c59d7e0c089c0");
    expect(hex(md4(Buffer.from("abc")))).toBe("a448017aaf21d8525fc10ae87aa6729d");
    expect(hex(md4(Buffer.from("12345678901234567890123456789012345678901234567890123456789012345678901234567890")))).toBe("e33b4ddc9c38f2199c3e7b164fcc0536");
  });

  it("NTOWFv1 and NTOWFv2 (4.2.2.1.2, 4.2.4.1.1)", () => {
    expect(hex(ntHash("Password"))).toBe("a4f49c406510bdcab6824ee7c30fd852");
    expect(hex(responseKeyV2("User", "Domain", "Password"))).toBe("0c868a403bfd7a93a3001ef22ef02e3f");
    // The user name is upper-cased, the domain is not.
    expect(responseKeyV2("user", "Domain", "Password")).toEqual(responseKeyV2("User", "Domain", "Password"));
    expect(responseKeyV2("User", "domain", "Password")).not.toEqual(responseKeyV2("User", "Domain", "Password"));
  });

  it("LMv2, NTLMv2 response and session base key (4.2.4.1.2, 4.2.4.2.1, 4.2.4.2.2)", () => {
    const r = computeV2Response(responseKeyV2("User", "Domain", "Password"), SERVER_CHALLENGE, CLIENT_CHALLENGE, TIME, TARGET_INFO);
    expect(hex(r.lmChallengeResponse)).toBe("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa");
    expect(hex(r.ntProofStr)).toBe("68cd0ab851e51c96aabc927bebef6a1c");
    expect(hex(r.sessionBaseKey)).toBe("8de40ccadbc14a82f15cb0ad0de95ca3");
    expect(hex(r.ntChallengeResponse)).toBe(
      "68cd0ab851e51c96aabc927bebef6a1c01010000000000000000000000000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c005300650072007600650072000000000000000000",
    );
  });

  it("builds the three messages: negotiate, parses the challenge, authenticates with the vectors' response", () => {
    const n = negotiateMessage();
    expect(n.subarray(0, 12).toString("latin1")).toBe("NTLMSSP\0\x01\0\0\0");
    const c = parseChallenge(challengeMessage());
    expect(hex(c.serverChallenge)).toBe("0123456789abcdef");
    expect(c.targetInfo).toEqual(TARGET_INFO);
    expect(c.avPairs.get(2)?.toString("utf16le")).toBe("Domain");
    const a = authenticateMessage(c, { username: "Domain\\User", password: "Password" }, { clientChallenge: CLIENT_CHALLENGE, timestamp: TIME });
    const field = (i: number) => {
      const len = a.readUInt16LE(12 + i * 8);
      const off = a.readUInt32LE(16 + i * 8);
      return a.subarray(off, off + len);
    };
    expect(a.readUInt32LE(8)).toBe(3);
    expect(hex(field(0))).toBe("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa");
    expect(hex(field(1).subarray(0, 16))).toBe("68cd0ab851e51c96aabc927bebef6a1c");
    expect(field(2).toString("utf16le")).toBe("Domain");
    expect(field(3).toString("utf16le")).toBe("User");
    // Empty fields point at the payload, never at offset 0 (servers read that as a Win9x message).
    for (let i = 0; i < 6; i++) expect(a.readUInt32LE(16 + i * 8)).toBeGreaterThanOrEqual(72);
  });

  it("uses the server's timestamp when it sends one, and then a zero LMv2 response", () => {
    const withTime = Buffer.concat([Buffer.from("07000800", "hex"), Buffer.from("0102030405060708", "hex"), TARGET_INFO]);
    const a = authenticateMessage(parseChallenge(challengeMessage(withTime)), { username: "User@Domain", password: "Password" });
    const lm = a.subarray(a.readUInt32LE(16), a.readUInt32LE(16) + 24);
    expect(lm).toEqual(Buffer.alloc(24));
    const nt = a.subarray(a.readUInt32LE(24), a.readUInt32LE(24) + a.readUInt16LE(20));
    expect(hex(nt.subarray(24, 32))).toBe("0102030405060708");
  });

  it("refuses what is not a challenge; splits the user name forms", () => {
    expect(() => parseChallenge(Buffer.from("garbage-garbage-garbage-garbage-!"))).toThrow(/not an NTLM challenge/);
    expect(splitUser("LAB\\ops")).toEqual({ domain: "LAB", user: "ops" });
    expect(splitUser("ops@lab.example.com")).toEqual({ domain: "lab.example.com", user: "ops" });
    expect(splitUser("Administrator")).toEqual({ domain: "", user: "Administrator" });
  });
});
