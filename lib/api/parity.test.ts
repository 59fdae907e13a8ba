// Every server action of the portal has an API operation calling the same service verb
// (README: "every UI action is also an API call"). The actions are found by reading the
// action files; a new action without an operation fails here.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_OPERATIONS } from "./operations";

const root = process.cwd();
/** Actions that are not service verbs, and why. */
const NOT_API: Record<string, string> = {
  loginAction: "signing in with a password makes a browser session; API clients use tokens",
  signOutAction: "ends the browser session of the cookie; API clients revoke tokens (DELETE /tokens/{tokenId})",
  setLocaleAction: "a display preference cookie of the browser",
  acceptInvitationAction: "an invitee without an account yet sets their password through the one-time link; there is no token to call the API with",
  issueConsoleTicketAction: "a console ticket is bound to the browser session that opens the console WebSocket (lib/console/tickets.ts); token clients have no browser console",
  signInWithSsoAction: "starts the identity provider's browser sign-in (redirects); API clients use tokens",
};

function actionFiles(): string[] {
  const out: string[] = [];
  for (const dir of ["app", "components"]) {
    for (const f of fs.readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })) {
      if (!/\.(ts|tsx)$/.test(f)) continue;
      const full = path.join(root, dir, f);
      if (/^["']use server["'];/m.test(fs.readFileSync(full, "utf8"))) out.push(full);
    }
  }
  return out;
}

interface FoundAction {
  file: string;
  name: string;
  verb: string | null;
  verbModule: string | null;
}

function parse(file: string): FoundAction[] {
  const src = fs.readFileSync(file, "utf8");
  const imports = new Map<string, string>();
  for (const m of src.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    for (const n of m[1].split(",").map((s) => s.trim().replace(/^type\s+/, "")).filter(Boolean)) imports.set(n, m[2]);
  }
  const found: FoundAction[] = [];
  const fns = [...src.matchAll(/export async function (\w+)\s*\(/g)];
  fns.forEach((m, i) => {
    const body = src.slice(m.index, fns[i + 1]?.index ?? src.length);
    const call = /runAction\(\s*\w+\s*,\s*[^,]+,\s*(\w+)\s*\)/.exec(body);
    const verb = call?.[1] ?? null;
    found.push({ file: path.relative(root, file), name: m[1], verb, verbModule: verb ? (imports.get(verb) ?? null) : null });
  });
  return found;
}

const actions = actionFiles().flatMap(parse);

describe("API parity with the portal's server actions", () => {
  it("finds the server actions", () => {
    expect(actions.length).toBeGreaterThan(40);
  });

  it.each(actions.filter((a) => !(a.name in NOT_API)).map((a) => [`${a.file} ${a.name}`, a] as const))("%s has an API operation", async (_label, a) => {
    expect(a.verb, `${a.name} calls no service verb through runAction`).not.toBeNull();
    expect(a.verbModule, `${a.name}: cannot find where ${a.verb} is imported from`).not.toBeNull();
    const mod = (await import(/* @vite-ignore */ a.verbModule!.replace(/^@\//, `${root}/`))) as Record<string, unknown>;
    const fn = mod[a.verb!];
    expect(typeof fn).toBe("function");
    const ops = API_OPERATIONS.filter((op) => op.verb === fn).map((op) => `${op.method} ${op.path}`);
    expect(ops, `${a.name} (${a.verb}) has no /api/v1 operation`).not.toEqual([]);
  });

  it("lists only real actions as exceptions", () => {
    for (const name of Object.keys(NOT_API)) expect(actions.map((a) => a.name)).toContain(name);
  });
});
