import { describe, expect, it } from "vitest";
import { preferenceOf, reasonFor, reasonText, type ProviderOffer } from "./placement-policy";

const offers: ProviderOffer[] = [
  { providerId: "a", name: "vSphere", kind: "VSPHERE", monthly: 5_160_000 },
  { providerId: "b", name: "EC2", kind: "EC2", monthly: 2_000_000 },
  { providerId: "c", name: "Docker", kind: "DOCKER", monthly: 2_420_000 },
  { providerId: "d", name: "Unpriced", kind: "LXD", monthly: null },
];

describe("project placement policies", () => {
  it("cheapest: by price, unpriced last", () => {
    expect(preferenceOf("CHEAPEST", offers)).toMatchObject({ rank: ["b", "c", "a", "d"], preferred: null, hostPolicy: null });
  });

  it("private-first: private providers by price, then public clouds", () => {
    expect(preferenceOf("PRIVATE_FIRST", offers).rank).toEqual(["c", "a", "d", "b"]);
  });

  it("spread and pack: no provider order, host scoring across providers", () => {
    expect(preferenceOf("SPREAD", offers)).toMatchObject({ rank: null, hostPolicy: "SPREAD" });
    expect(preferenceOf("PACK", offers)).toMatchObject({ rank: null, hostPolicy: "PACK" });
  });

  it("the project's default provider comes first, then the policy's order", () => {
    expect(preferenceOf("CHEAPEST", offers, { preferredProviderId: "a" })).toMatchObject({ rank: ["a", "b", "c", "d"], preferred: "a" });
    expect(preferenceOf("PRIVATE_FIRST", offers, { preferredProviderId: "b" }).rank).toEqual(["b", "c", "a", "d"]);
    expect(preferenceOf("SPREAD", offers, { preferredProviderId: "d" })).toMatchObject({ rank: ["d"], hostPolicy: "SPREAD" });
    const pref = preferenceOf("CHEAPEST", offers, { preferredProviderId: "a" });
    expect(reasonFor(pref, offers, "a").policy).toBe("DEFAULT");
    expect(reasonFor(pref, offers, "b")).toMatchObject({ policy: "CHEAPEST", skipped: [{ providerId: "a" }] });
  });

  it("a provider the request targets overrides the policy", () => {
    expect(preferenceOf("CHEAPEST", offers, { chosenProviderId: "a" })).toMatchObject({ policy: "CHOSEN", rank: ["a"] });
  });

  it("explains a choice, naming the cheaper providers that had no room", () => {
    const pref = preferenceOf("CHEAPEST", offers);
    const r = reasonFor(pref, offers, "a");
    expect(r.skipped.map((s) => s.name)).toEqual(["EC2", "Docker"]);
    expect(reasonText(r, "USD")).toBe("vSphere: the cheapest provider with room (51.60 USD/month); EC2 (20.00 USD/month), Docker (24.20 USD/month) had no room");
  });
});
