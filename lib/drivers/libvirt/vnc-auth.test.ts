// The VNC authentication answer: DES against the FIPS test vector, and the RFB key rule (the
// password's first 8 bytes, zero-padded, each byte's bits reversed) against known answers.
import { describe, expect, it } from "vitest";
import { desEncryptBlock, vncAuthResponse } from "./vnc-auth";
import { newVncPassword } from "./libvirt-driver";

describe("VNC authentication", () => {
  it("DES matches the classic test vectors", () => {
    expect(desEncryptBlock(Buffer.from("133457799BBCDFF1", "hex"), Buffer.from("0123456789ABCDEF", "hex")).toString("hex")).toBe("85e813540f0ab405");
    expect(desEncryptBlock(Buffer.from("0E329232EA6D0D73", "hex"), Buffer.from("8787878787878787", "hex")).toString("hex")).toBe("0000000000000000");
    expect(() => desEncryptBlock(Buffer.alloc(7), Buffer.alloc(8))).toThrow();
  });

  it("answers a challenge as noVNC and QEMU compute it (bit-reversed key, 8 bytes, two blocks)", () => {
    const challenge = Buffer.from("00112233445566778899aabbccddeeff", "hex");
    // Values computed with noVNC's own DES (node_modules/@novnc/novnc/core/crypto/des.js).
    expect(vncAuthResponse("secret", challenge).toString("hex")).toBe("f19b50471f60f42298e5c0147db50e1e");
    // Only the first 8 characters count; a different password gives a different answer.
    expect(vncAuthResponse("Ab3$xY9!", challenge)).toEqual(vncAuthResponse("Ab3$xY9!trailing", challenge));
    expect(vncAuthResponse("Ab3$xY9?", challenge)).not.toEqual(vncAuthResponse("Ab3$xY9!", challenge));
    expect(() => vncAuthResponse("x", Buffer.alloc(8))).toThrow();
  });

  it("session passwords are 8 random characters safe in XML", () => {
    const seen = new Set(Array.from({ length: 200 }, () => newVncPassword()));
    expect(seen.size).toBe(200);
    for (const p of seen) expect(p).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });
});
