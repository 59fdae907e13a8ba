import { describe, expect, it } from "vitest";
import { parseSshPublicKey } from "./ssh-key-format";
import { fingerprintOf } from "./ssh-keys";
import { addSshKeySchema } from "./schemas";

// Public halves of throw-away keys, with the fingerprints `ssh-keygen -lf` printed for them.
const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPwRTcJQ3PM7srR3iaH6sgEqygr59vSTDSDO9VFXyCAZ alice@laptop";
const RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCjeG3pHmLX/xX/BZhl2ncPLIV+lEuLN0ttCHd1/9dTMKo5EJTjos5txQf8LSWcf9WieQpQkYvVBkrwqgFrz1EvPpl174FreVitjJ97FhG1W16bMrOFAvli18B2yKqsqS27KwqAvUUk8cFBHEH2+M/HqdKN7OaoSjnmU52sLpUFGh1D/NP2hBXieKNxt4mOOiWh3ADbZQF5y/7h1nzMjA+EfbfO3w+/ddhkbKIa9K1BH7OTLtTQHgrZ/+EsJF2dgbQeWLkKQOoii0PmFaBFFkpLROkB6va7+MKJXZYw7sfxLmVRGrlt5FukQaMMYG1CRML9Ttnn9GvaNPrSE+Pwnr09";
const ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCymTNU9SFtylnEH3iBKnIchNPC7xj0cYfBykz39T/GjAhphw7lb2lkz+4S/cOCD7dTdjzCxa2pYztrM0XBmbmE= root@vm";

describe("SSH public keys", () => {
  it("accepts ed25519, rsa and ecdsa keys and computes OpenSSH's SHA256 fingerprint", () => {
    expect(fingerprintOf(ED25519)).toBe("SHA256:DG2N/f8XODo9lQucyafnJGmyZF67M/UrVPy0uyWQ/SE");
    expect(fingerprintOf(RSA)).toBe("SHA256:yM6JD3t4Unt7kfKOimTTtHUHLmpzsI/kVaRghdg9SJA");
    expect(fingerprintOf(ECDSA)).toBe("SHA256:bvcYins35jRH5qV6a1s8YGCtHJVX1zlb1jwXNBgewTE");
  });

  it("keeps the comment and normalises whitespace", () => {
    const r = parseSshPublicKey(`  ${ED25519.replace(" ", "   ")}\n`);
    expect(r.ok && r.key.comment).toBe("alice@laptop");
    expect(r.ok && r.key.normalized).toBe(ED25519);
    const bare = parseSshPublicKey(ED25519.split(" ").slice(0, 2).join(" "));
    expect(bare.ok && bare.key.comment).toBe("");
  });

  it.each([
    ["", "empty"],
    ["ssh-dss AAAAB3NzaC1kc3MAAACBAP", "unknownType"],
    ["ssh-ed25519", "badBase64"],
    ["ssh-ed25519 not*base64", "badBase64"],
    [ED25519.replace("ssh-ed25519", "ssh-rsa"), "typeMismatch"],
    ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA", "tooShort"],
    [`${ED25519}\n${RSA}`, "multiline"],
    ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "privateKey"],
    [`ssh-ed25519 ${"A".repeat(20000)}`, "tooLong"],
  ])("refuses %j (%s)", (text, problem) => {
    const r = parseSshPublicKey(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toBe(problem);
    expect(fingerprintOf(text)).toBeNull();
  });

  it("reports the problem as a message key in the form schema", () => {
    const r = addSshKeySchema.safeParse({ name: "laptop", publicKey: "ssh-ed25519 zzz" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe("access.validation.key_badBase64");
    expect(addSshKeySchema.safeParse({ name: " ", publicKey: ED25519 }).error?.issues[0].message).toBe("access.validation.nameRequired");
    expect(addSshKeySchema.safeParse({ name: "laptop", publicKey: ED25519 }).success).toBe(true);
  });
});
