// Cloud-init user data: the template's #cloud-config (checked when an administrator saves it)
// and the document a machine boots with, merged at provision from the template's user data,
// the requester's SSH keys and the machine's hostname. Browser-safe (the template form
// validates with it as the administrator types).
import { isMap, isSeq, parseDocument, stringify } from "yaml";

export const MAX_USER_DATA_LENGTH = 32_768;

export interface CloudConfigProblem {
  /** Message key under templates.validation (userDataYaml, userDataNotMapping, ...). */
  key: "userDataYaml" | "userDataNotMapping" | "userDataTooLong" | "userDataListExpected" | "userDataNotCloudConfig";
  /** 1-based position of the problem in the text, when YAML gives one. */
  line?: number;
  col?: number;
  /** The top-level key that has the wrong shape (userDataListExpected). */
  field?: string;
}

/** Top-level keys cloud-init reads as lists: a scalar there is a mistake cloud-init ignores silently. */
const LIST_KEYS = ["packages", "runcmd", "bootcmd", "users", "ssh_authorized_keys", "write_files", "groups"] as const;

/**
 * null when the text is empty or a valid cloud-config mapping; else the first problem, with its
 * line and column. A script user data ("#!/bin/sh") is not accepted: it cannot be merged with
 * the keys and hostname.
 */
export function checkCloudConfig(text: string): CloudConfigProblem | null {
  if (!text.trim()) return null;
  if (text.length > MAX_USER_DATA_LENGTH) return { key: "userDataTooLong" };
  if (/^#!/.test(text.trimStart())) return { key: "userDataNotCloudConfig", line: 1, col: 1 };
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    return { key: "userDataYaml", line: pos?.line, col: pos?.col };
  }
  if (doc.contents === null) return null; // only comments ("#cloud-config")
  if (!isMap(doc.contents)) {
    const start = doc.contents.range?.[0] ?? 0;
    return { key: "userDataNotMapping", ...position(text, start) };
  }
  for (const pair of doc.contents.items) {
    const name = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
    if ((LIST_KEYS as readonly string[]).includes(name) && pair.value !== null && !isSeq(pair.value)) {
      const at = (pair.value as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
      return { key: "userDataListExpected", field: name, ...position(text, at) };
    }
  }
  return null;
}

function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

/**
 * How a problem travels as a zod/AppError message: a key the form translates, with the
 * position appended ("templates.validation.userDataYaml@3:5" or "...ListExpected@3:5:packages").
 */
export function problemMessage(p: CloudConfigProblem): string {
  const key = `templates.validation.${p.key}`;
  if (p.line === undefined) return key;
  return `${key}@${p.line}:${p.col ?? 1}${p.field ? `:${p.field}` : ""}`;
}

export function parseProblemMessage(message: string): { key: string; line?: number; col?: number; field?: string } {
  const m = /^([\w.]+)@(\d+):(\d+)(?::(\w+))?$/.exec(message);
  if (!m) return { key: message };
  return { key: m[1], line: Number(m[2]), col: Number(m[3]), field: m[4] };
}

export interface MergeInput {
  /** The template's user data (validated when saved; empty: none). */
  userData: string;
  /** The machine's hostname (its name: a DNS label). */
  hostname: string;
  /** Public key lines to authorise. */
  sshKeys: readonly string[];
  /** The template's login user: keys also go to its entry when the user data lists users. */
  defaultUser?: string;
}

type Obj = Record<string, unknown>;

/**
 * The #cloud-config a machine boots with. The template's document is kept as written, then:
 * hostname set (the machine's name wins: the portal names the machine), the keys added to the
 * top-level ssh_authorized_keys (the image's default user) without duplicates, and to the
 * entry of `users` named like the template's default user, when there is one (cloud-init
 * does not create the default user when `users` is given without "default").
 */
export function mergeCloudConfig(input: MergeInput): string {
  const base: Obj = parseBase(input.userData);
  const out: Obj = { ...base, hostname: input.hostname };
  if (!("preserve_hostname" in out)) out.preserve_hostname = false;
  const keys = [...new Set(input.sshKeys.map((k) => k.trim()).filter(Boolean))];
  if (keys.length) {
    const existing = Array.isArray(base.ssh_authorized_keys) ? (base.ssh_authorized_keys as unknown[]).map(String) : [];
    out.ssh_authorized_keys = [...new Set([...existing, ...keys])];
    if (input.defaultUser && Array.isArray(base.users)) {
      out.users = (base.users as unknown[]).map((u) => {
        if (!u || typeof u !== "object" || (u as Obj).name !== input.defaultUser) return u;
        const own = Array.isArray((u as Obj).ssh_authorized_keys) ? ((u as Obj).ssh_authorized_keys as unknown[]).map(String) : [];
        return { ...(u as Obj), ssh_authorized_keys: [...new Set([...own, ...keys])] };
      });
    }
  }
  return `#cloud-config\n${stringify(out, { lineWidth: 0 })}`;
}

function parseBase(text: string): Obj {
  if (!text.trim()) return {};
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error("The template's user data is not valid YAML");
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new Error("The template's user data is not a cloud-config mapping");
  return value as Obj;
}

/** The NoCloud meta-data document (instance-id changes per machine so cloud-init runs once per machine). */
export function noCloudMetaData(machineId: string, hostname: string): string {
  return `instance-id: ${machineId}\nlocal-hostname: ${hostname}\n`;
}
