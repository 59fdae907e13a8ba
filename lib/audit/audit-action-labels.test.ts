import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OPERATION_SPECS } from "../orchestration/operation-specs";
import { WORKLOAD_OPERATION_SPECS } from "../workloads/workload-specs";
import { scanAuditActions } from "./audit-action-names";

// What a `${...}` in an action name can be, by the entity before it.
const EXPANSIONS: Record<string, string[]> = {
  machine: Object.keys(OPERATION_SPECS).map((k) => k.toLowerCase()),
  workload: Object.keys(WORKLOAD_OPERATION_SPECS).map((k) => k.toLowerCase()),
  stack: ["apply", "heal"],
};

function label(messages: unknown, action: string): unknown {
  return action.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), messages);
}

const load = (locale: string) => JSON.parse(fs.readFileSync(path.join(process.cwd(), "messages", locale, "auditActions.json"), "utf8")) as unknown;

describe("audit action labels", () => {
  const scan = scanAuditActions(path.join(process.cwd(), "lib"));

  it("reads the action of every audit write in lib/", () => {
    expect(scan.unreadable).toEqual([]);
    expect(scan.names.size).toBeGreaterThan(50);
    for (const t of scan.templates) expect(EXPANSIONS[t.prefix], `no expansion for ${t.prefix}.\${...} at ${t.where}`).toBeDefined();
  });

  const all = new Set(scan.names);
  for (const t of scan.templates) for (const v of EXPANSIONS[t.prefix] ?? []) all.add(`${t.prefix}.${v}${t.suffix}`);

  it.each(["en", "pt-BR"])("every action written has a label in %s", (locale) => {
    const messages = load(locale);
    const missing = [...all].filter((a) => typeof label(messages, a) !== "string" || !(label(messages, a) as string).trim());
    expect(missing).toEqual([]);
  });

  it("finds actions written through a template and directly through auditEvent.create", () => {
    expect(all).toContain("machine.stop");
    expect(all).toContain("stack.heal_failed");
    expect(all).toContain("user.lock");
  });

  it("would catch an unlabelled action", () => {
    expect(label(load("en"), "machine.not_a_real_verb")).toBeUndefined();
  });
});

// The target type of every audit write (`targetType: "Machine"`) has a label in both languages:
// the audit log shows the type under the target's name and lists the types in its filter.
describe("audit target type labels", () => {
  const types = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "generated" && e.name !== "node_modules") walk(p);
      } else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) {
        for (const m of fs.readFileSync(p, "utf8").matchAll(/\btargetType: "([A-Za-z]+)"/g)) types.add(m[1]);
      }
    }
  };
  walk(path.join(process.cwd(), "lib"));
  walk(path.join(process.cwd(), "app"));

  it("finds the target types of the audit writes", () => {
    expect(types).toContain("Machine");
    expect(types).toContain("SshKey");
    expect(types.size).toBeGreaterThan(20);
  });

  it.each(["en", "pt-BR"])("every target type has a label in %s", (locale) => {
    const labels = (JSON.parse(fs.readFileSync(path.join(process.cwd(), "messages", locale, "audit.json"), "utf8")) as { targetTypes?: Record<string, string> }).targetTypes ?? {};
    expect([...types].filter((t) => !labels[t]?.trim())).toEqual([]);
  });
});
