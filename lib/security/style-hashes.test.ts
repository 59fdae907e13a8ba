import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RUNTIME_STYLE_HASHES } from "./style-hashes";

const hash = (s: string) => `sha256-${crypto.createHash("sha256").update(s, "utf8").digest("base64")}`;

describe("CSP hashes of runtime styles", () => {
  it("match the stylesheet the installed sonner inserts", () => {
    const src = fs.readFileSync(path.join(process.cwd(), "node_modules/sonner/dist/index.mjs"), "utf8");
    const m = /__insertCSS\((".*?[^\\]")\);/s.exec(src);
    expect(m, "sonner no longer calls __insertCSS: check its CSP needs").not.toBeNull();
    expect([...RUNTIME_STYLE_HASHES]).toEqual([hash(""), hash(JSON.parse(m![1]) as string)]);
  });
});
