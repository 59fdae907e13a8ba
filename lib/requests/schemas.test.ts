import { describe, expect, it } from "vitest";
import { submitRequestSchema } from "./schemas";

const valid = {
  projectId: "6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
  offeringId: "7f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
  templateId: "8f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
  quantity: 2,
  name: "web",
};
const errors = (input: unknown) => {
  const r = submitRequestSchema.safeParse(input);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("submitRequestSchema", () => {
  it("accepts a form submission, with or without lease and justification", () => {
    expect(errors(valid)).toEqual({});
    expect(errors({ ...valid, leaseEndsAt: "", justification: "" })).toEqual({});
    expect(errors({ ...valid, leaseEndsAt: "2030-01-31" })).toEqual({});
  });
  it("accepts explicit names from API clients instead of a prefix", () => {
    expect(errors({ ...valid, name: undefined, names: ["a", "b"] })).toEqual({});
    expect(errors({ ...valid, names: ["a", "b"] })).toEqual({ names: "nameOrNames" });
  });
  it("reports every bad field at once with message keys", () => {
    expect(errors({ quantity: 0, name: "Bad", leaseEndsAt: "soon", justification: "x".repeat(2001) })).toEqual({
      projectId: "projectRequired",
      offeringId: "offeringRequired",
      templateId: "templateRequired",
      quantity: "quantityRange",
      name: "nameInvalid",
      leaseEndsAt: "leaseInvalid",
      justification: "justificationTooLong",
    });
  });
  it("a prefix leaves room for -NN, a single name may use all 63 characters", () => {
    expect(errors({ ...valid, quantity: 2, name: "a".repeat(61) })).toEqual({ name: "prefixTooLong" });
    expect(errors({ ...valid, quantity: 1, name: "a".repeat(63) })).toEqual({});
    expect(errors({ ...valid, quantity: 20, name: "a".repeat(60) })).toEqual({});
  });
});
