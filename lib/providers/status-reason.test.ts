import { describe, expect, it } from "vitest";
import { DEMO_BACKEND_REASON, NOT_TESTED_REASON, parseStatusReason, statusReasonText } from "./status-reason";

describe("provider status reasons", () => {
  it("splits a driver failure into its code and the provider's words", () => {
    expect(parseStatusReason("AUTH: vSphere needs a user name and a password")).toEqual({ code: "AUTH", detail: "vSphere needs a user name and a password" });
    expect(parseStatusReason("TIMEOUT: ")).toEqual({ code: "TIMEOUT", detail: null });
  });

  it("knows the not-tested and demo sentences, and keeps any other text as it is", () => {
    expect(parseStatusReason(NOT_TESTED_REASON)).toEqual({ code: "NOT_TESTED", detail: null });
    expect(parseStatusReason(DEMO_BACKEND_REASON)).toEqual({ code: "DEMO_BACKEND", detail: null });
    expect(parseStatusReason("socket hang up: ECONNRESET")).toEqual({ code: null, detail: "socket hang up: ECONNRESET" });
  });

  it("reads in the reader's language, the details after, unknown codes as stored", () => {
    const messages: Record<string, string> = { "statusReasons.AUTH": "O provedor recusou as credenciais.", "statusReasons.details": "Detalhes: {detail}" };
    const t = Object.assign((key: string, values?: Record<string, string>) => messages[key].replace("{detail}", values?.detail ?? ""), { has: (key: string) => key in messages });
    expect(statusReasonText("AUTH: vSphere needs a password", t)).toBe("O provedor recusou as credenciais. Detalhes: vSphere needs a password");
    expect(statusReasonText("WEIRD: something", t)).toBe("WEIRD: something");
  });
});
