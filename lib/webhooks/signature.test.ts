import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signatureHeader, verifySignature } from "./signature";

describe("webhook signatures", () => {
  const secret = "whsec_test";
  const body = JSON.stringify({ id: "e1", type: "request.created", data: { n: 1 } });
  const t = 1_800_000_000;
  const at = new Date(t * 1000);

  it("is HMAC-SHA256 over timestamp.body, hex, as the README says", () => {
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(signatureHeader(secret, t, body)).toBe(`t=${t},v1=${expected}`);
  });

  it("verifies, and refuses another body, another secret, an old timestamp and garbage", () => {
    const h = signatureHeader(secret, t, body);
    expect(verifySignature(secret, h, body, { now: at })).toEqual({ ok: true, timestamp: t });
    expect(verifySignature(secret, h, body.replace("1", "2"), { now: at })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifySignature("whsec_other", h, body, { now: at })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifySignature(secret, h, body, { now: new Date((t + 301) * 1000) })).toEqual({ ok: false, reason: "stale" });
    expect(verifySignature(secret, h, body, { now: new Date((t - 301) * 1000) })).toEqual({ ok: false, reason: "stale" });
    // A re-signed header with the timestamp changed but the old signature does not pass.
    const forged = h.replace(`t=${t}`, `t=${t + 10}`);
    expect(verifySignature(secret, forged, body, { now: at })).toEqual({ ok: false, reason: "mismatch" });
    for (const bad of [null, "", "t=abc,v1=00", `v1=${"0".repeat(64)}`, `t=${t}`, `t=${t},v1=zz`]) {
      expect(verifySignature(secret, bad, body, { now: at }).ok).toBe(false);
    }
  });

  it("accepts any of several v1 signatures (secret rotation on the receiver's side)", () => {
    const h = `${signatureHeader("whsec_old", t, body)},v1=${signatureHeader(secret, t, body).split("v1=")[1]}`;
    expect(verifySignature(secret, h, body, { now: at }).ok).toBe(true);
  });

  it("makes long random secrets", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
