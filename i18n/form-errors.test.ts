// Server-side field errors of the recent forms (SSH keys, template cloud-init, request comments,
// approval stages and rejection, scaling groups, resize/rename/tags/transfer) must reach the
// user in Portuguese too: every message their schemas and services can answer is a message
// key with a text in pt-BR (and en), whose placeholders the error fills. A form whose error is
// plain English text, or a key missing from messages/pt-BR, fails here.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { parseFieldMessage } from "./field-message";
import { loadMessages } from "./messages";
import { parseProblemMessage } from "@/lib/access/cloud-config";
import { addSshKeySchema } from "@/lib/access/schemas";
import { SSH_KEY_PROBLEMS } from "@/lib/access/ssh-key-format";
import { BULK_DECIDE_MAX, bulkDecideSchema, rejectRequestSchema, setApprovalStagesSchema } from "@/lib/approvals/schemas";
import { httpStatus } from "@/lib/errors";
import { renameMachineSchema, resizeMachineSchema, setMachineTagsSchema, transferMachineSchema } from "@/lib/machines/schemas";
import { parseTags } from "@/lib/machines/tags";
import { addRequestCommentSchema } from "@/lib/requests/schemas";
import { createScalingGroupSchema, deleteScalingGroupSchema, updateScalingGroupSchema } from "@/lib/scaling/schemas";
import { templateFieldsSchema } from "@/lib/templates/schemas";

const LOCALES = ["pt-BR", "en"] as const;
const catalogs = Object.fromEntries(LOCALES.map((l) => [l, loadMessages(l)])) as Record<(typeof LOCALES)[number], Record<string, unknown>>;
const UUID = "6f1d2c3b-4a59-4e7f-8a1b-2c3d4e5f6a7b";

function lookup(catalog: Record<string, unknown>, key: string): string | null {
  let node: unknown = catalog;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object" || !(part in node)) return null;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : null;
}

/** The text a form shows for `message` in `locale` (null: none), and the values it has. */
function resolve(locale: (typeof LOCALES)[number], message: string, namespace?: string): { text: string; values: Record<string, string> } | null {
  const field = parseFieldMessage(message);
  const problem = parseProblemMessage(message); // the template form's "key@line:col:field"
  const tries = [
    { key: field.key, values: field.values },
    { key: problem.key, values: { field: problem.field ?? "" } },
  ];
  for (const t of tries) {
    for (const key of namespace ? [t.key, `${namespace}.${t.key}`] : [t.key]) {
      const text = lookup(catalogs[locale], key);
      if (text !== null) return { text, values: t.values };
    }
  }
  return null;
}

/** Problems with one message: no text in a language, or a placeholder the error leaves empty. */
function problemsOf(message: string, namespace?: string): string[] {
  const out: string[] = [];
  for (const locale of LOCALES) {
    const r = resolve(locale, message, namespace);
    if (!r) {
      out.push(`${locale}: no message for ${JSON.stringify(message)}`);
      continue;
    }
    // Simple ICU arguments only ({line}); plural/select forms are not used by these messages.
    for (const [, name] of r.text.matchAll(/\{(\w+)\}/g)) if (!(name in r.values)) out.push(`${locale}: ${JSON.stringify(message)} leaves {${name}} empty`);
  }
  return out;
}

function messagesOf(schema: z.ZodType, input: unknown): string[] {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error.issues.filter((i) => i.code !== "unrecognized_keys").map((i) => i.message);
}

const long = (n: number) => "x".repeat(n);
const stage = (over: Record<string, unknown> = {}) => ({ name: "Finance", allProjectApprovers: false, approverIds: [UUID], minMonthlyCents: null, ...over });
const group = (over: Record<string, unknown> = {}) => ({
  projectId: UUID,
  name: "web",
  offeringId: UUID,
  templateId: UUID,
  minSize: 1,
  maxSize: 4,
  desired: 2,
  targetCpuPercent: 60,
  scaleOutCooldownSeconds: 120,
  scaleInCooldownSeconds: 300,
  stepSize: 1,
  ...over,
});
const template = (over: Record<string, unknown> = {}) => ({ name: "Ubuntu", osFamily: "LINUX", osName: "Ubuntu", osVersion: "24.04", description: "", minDiskGb: 10, userData: "", defaultUser: "", ...over });

/**
 * Each form's schema with what its users can send wrong (numbers typed as text arrive as text,
 * selects left empty arrive as ""). `namespace`: where the form looks up bare keys.
 */
const FORMS: { form: string; namespace?: string; schema: z.ZodType; bad: unknown[] }[] = [
  {
    form: "SSH key (settings)",
    schema: addSshKeySchema,
    bad: [
      {},
      { name: "", publicKey: "" },
      { name: long(81), publicKey: long(20_000) },
      { name: "a", publicKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----" },
      { name: "a", publicKey: "ssh-foo AAAA" },
      { name: "a", publicKey: "ssh-ed25519 !!!!" },
      { name: "a", publicKey: "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ" },
      { name: "a", publicKey: "ssh-ed25519 AAAA\nssh-ed25519 AAAA" },
    ],
  },
  {
    form: "template (cloud-init user data, login user)",
    schema: templateFieldsSchema,
    bad: [
      {},
      template({ name: "", osFamily: "BSD", osName: "", osVersion: "", description: long(501), minDiskGb: 0.5, defaultUser: "Bad User" }),
      template({ name: long(81), osName: long(81), osVersion: long(41), minDiskGb: "ten" }),
      template({ userData: "#cloud-config\npackages: nginx\n" }),
      template({ userData: "#cloud-config\npackages:\n  - nginx\n  bad: [\n" }),
      template({ userData: "- a\n- b\n" }),
      template({ userData: "#!/bin/sh\necho hi\n" }),
      template({ userData: long(40_000) }),
    ],
  },
  {
    form: "request comment",
    namespace: "requests.errors",
    schema: addRequestCommentSchema,
    bad: [{}, { requestId: "", body: "" }, { requestId: UUID, body: "   " }, { requestId: UUID, body: long(4001) }],
  },
  {
    form: "approval stages",
    namespace: "approvals.errors",
    schema: setApprovalStagesSchema,
    bad: [
      { projectId: "", stages: [stage({ name: "" })] },
      { projectId: UUID, stages: [stage({ name: long(61), approverIds: ["nobody"], minMonthlyCents: -1 })] },
      { projectId: UUID, stages: [stage({ minMonthlyCents: 1.5 }), stage({ minMonthlyCents: 2_000_000_000 }), stage({ minMonthlyCents: "lots" })] },
      { projectId: UUID, stages: [stage({ approverIds: Array.from({ length: 51 }, () => UUID) })] },
      { projectId: UUID, stages: Array.from({ length: 6 }, () => stage()) },
    ],
  },
  {
    form: "rejection reason",
    namespace: "approvals.errors",
    schema: rejectRequestSchema,
    bad: [{}, { requestId: "", reason: "" }, { requestId: UUID, reason: long(2001) }],
  },
  {
    form: "scaling group (create)",
    schema: createScalingGroupSchema,
    bad: [
      {},
      group({ projectId: "", offeringId: "", templateId: "", name: "" }),
      group({ name: "Web 1", minSize: -1, maxSize: 0, desired: 101, targetCpuPercent: 2 }),
      group({ name: long(41), minSize: "two", maxSize: "many", desired: "x", targetCpuPercent: "high", scaleOutCooldownSeconds: -5, scaleInCooldownSeconds: 100_000, stepSize: 11 }),
      group({ minSize: 5, maxSize: 3, desired: 4 }),
      group({ desired: 9, targetCpuPercent: 99, stepSize: 0, scaleOutCooldownSeconds: 1.5 }),
      group({ placement: "ANYWHERE", providerId: "" }),
    ],
  },
  {
    form: "bulk approve/reject (approvals queue)",
    namespace: "approvals.errors",
    schema: bulkDecideSchema,
    bad: [
      {},
      { decision: "maybe", requestIds: "x", reason: 3 },
      { decision: "approve", requestIds: [] },
      { decision: "approve", requestIds: ["not-a-uuid"] },
      { decision: "approve", requestIds: [UUID, UUID] },
      { decision: "approve", requestIds: Array.from({ length: BULK_DECIDE_MAX + 1 }, (_, i) => UUID.slice(0, -3) + String(i).padStart(3, "0")) },
      { decision: "reject", requestIds: [UUID] },
      { decision: "reject", requestIds: [UUID], reason: long(2001) },
    ],
  },
  {
    form: "scaling group (edit)",
    schema: updateScalingGroupSchema,
    bad: [
      { groupId: UUID, minSize: 3, maxSize: 2, targetCpuPercent: 100, scaleOutCooldownSeconds: "x", scaleInCooldownSeconds: -1, stepSize: 20, windowSeconds: 10 },
      { groupId: "", minSize: "", maxSize: 200, targetCpuPercent: "", windowSeconds: 5000 },
    ],
  },
  { form: "scaling group (delete)", schema: deleteScalingGroupSchema, bad: [{ groupId: "" }, { groupId: UUID, confirmName: 3 }] },
  { form: "resize", schema: resizeMachineSchema, bad: [{}, { machineId: "", offeringId: "" }] },
  { form: "rename", schema: renameMachineSchema, bad: [{}, { machineId: UUID, name: "" }, { machineId: UUID, name: "Web Server!" }, { machineId: UUID, name: long(64) }, { machineId: UUID, name: "-web" }] },
  { form: "tags", schema: setMachineTagsSchema, bad: [{}, { machineId: UUID, tags: long(20_001) }] },
  { form: "transfer", schema: transferMachineSchema, bad: [{}, { machineId: UUID, ownerId: "" }] },
];

describe("server field errors of the recent forms are translated (pt-BR and en)", () => {
  for (const f of FORMS) {
    it(`${f.form}: every schema message is a key with a text`, () => {
      const seen = f.bad.flatMap((input) => messagesOf(f.schema, input));
      // The bad inputs do produce errors (else this test proves nothing).
      expect(seen.length, `${f.form}: the bad inputs produce errors`).toBeGreaterThan(0);
      const problems = [...new Set(seen)].flatMap((m) => problemsOf(m, f.namespace));
      expect(problems).toEqual([]);
    });
  }

  it("machine tags: every problem the editor and the server report (with its line) has a text", () => {
    const text = ["noequals", "Bad Key=1", `k=${long(256)}`, "a=1", "a=2", ...Array.from({ length: 51 }, (_, i) => `k${i}=v`)].join("\n");
    const { errors } = parseTags(text);
    expect(errors.length).toBe(5);
    expect(errors.flatMap((m) => problemsOf(m))).toEqual([]);
  });

  /**
   * The field messages the verbs themselves throw (validationError({ field: [...] }) and
   * `fields.x = [...]`): string literals and fe(section, key) calls. A literal in English, or a
   * template string, fails.
   */
  const SERVICES: { file: string; namespace?: string; expand?: Record<string, readonly string[]> }[] = [
    { file: "lib/access/add-ssh-key.ts", expand: { "access.validation.key_${parsed.problem}": SSH_KEY_PROBLEMS.map((p) => `access.validation.key_${p}`) } },
    { file: "lib/templates/create-template.ts" },
    { file: "lib/templates/update-template.ts" },
    { file: "lib/approvals/set-approval-stages.ts", namespace: "approvals.errors" },
    { file: "lib/machines/rename-machine.ts" },
    { file: "lib/machines/transfer-machine.ts" },
    { file: "lib/machines/resize-machine.ts" },
    { file: "lib/scaling/manage-groups.ts" },
  ];
  for (const s of SERVICES) {
    it(`${s.file}: the field errors it throws have texts`, () => {
      const source = fs.readFileSync(path.join(process.cwd(), s.file), "utf8");
      const found: string[] = [];
      for (const m of source.matchAll(/(?::|=)\s*\[\s*(["'`])((?:\\.|(?!\1)[^\\])*)\1\s*\]/g)) {
        const literal = m[2];
        if (m[1] === "`" && literal.includes("${")) {
          const expanded = s.expand?.[literal];
          if (!expanded) found.push(`<template string ${literal}>`);
          else found.push(...expanded);
        } else found.push(literal);
      }
      for (const m of source.matchAll(/\bfe\(\s*"(\w+)"\s*,\s*"(\w+)"\s*(,\s*\{([^}]*)\})?/g)) {
        // The values a call passes: their names are enough to check the placeholders.
        const names = (m[4] ?? "").split(",").map((p) => p.trim().split(":")[0].replace(/^\.\.\./, "").trim()).filter(Boolean);
        found.push(`fieldErrors.${m[1]}.${m[2]}${names.length ? `?${names.map((n) => `${n}=1`).join("&")}` : ""}`);
      }
      expect(found.length, `${s.file} throws field errors`).toBeGreaterThan(0);
      expect(found.flatMap((m) => problemsOf(m, s.namespace))).toEqual([]);
    });
  }

  it("errors that are no field problem are said by their code, in both languages", () => {
    for (const code of Object.keys(httpStatus)) {
      for (const locale of LOCALES) expect(lookup(catalogs[locale], `common.errors.${code}`), `${locale} common.errors.${code}`).not.toBeNull();
    }
  });

  it("the checker itself fails on English text, a missing key and an unfilled placeholder", () => {
    expect(problemsOf("Another machine of this project has this name")).toHaveLength(2);
    expect(problemsOf("fieldErrors.machines.noSuchKey")).toHaveLength(2);
    expect(problemsOf("fieldErrors.machines.tagTwice?line=2")).toEqual([
      'pt-BR: "fieldErrors.machines.tagTwice?line=2" leaves {key} empty',
      'en: "fieldErrors.machines.tagTwice?line=2" leaves {key} empty',
    ]);
    expect(problemsOf("commentRequired", "requests.errors")).toEqual([]);
  });
});
