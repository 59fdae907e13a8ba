#!/usr/bin/env node
// The Orquestra command line: stacks as code against the REST API (/api/v1/stacks) with an
// API token. The same services as the Stacks page and the API answer it.
//   ORQUESTRA_URL=https://portal.example ORQUESTRA_TOKEN=orq_... npx orquestra plan -f stack.yaml
// Commands: plan, apply, destroy (-f stack.yaml), export (--project <id> --machines <id,...>
// --name <stack> [--adopt] [-o file]). Options: --param name=value (repeatable), --no-wait.
// Exit codes: 0 done, 1 refused or failed, 2 usage.
import { readFile, writeFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";

const USAGE = `usage: orquestra <plan|apply|destroy> -f stack.yaml [--param name=value ...] [--no-wait]
       orquestra export --project <projectId> --machines <id,id,...> --name <stack> [--adopt] [-o file]
environment: ORQUESTRA_URL (the portal), ORQUESTRA_TOKEN (an API token)`;

function parseArgs(argv) {
  const opts = { params: {}, wait: true };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "-f" || a === "--file") opts.file = next();
    else if (a === "--param" || a === "-p") {
      const [k, ...v] = next().split("=");
      if (!k || !v.length) throw new Usage("--param takes name=value");
      opts.params[k] = v.join("=");
    } else if (a === "--no-wait") opts.wait = false;
    else if (a === "--project") opts.project = next();
    else if (a === "--machines") opts.machines = next().split(",").filter(Boolean);
    else if (a === "--name") opts.name = next();
    else if (a === "--adopt") opts.adopt = true;
    else if (a === "-o" || a === "--output") opts.output = next();
    else if (a === "-h" || a === "--help") opts.help = true;
    else if (a.startsWith("-")) throw new Usage(`unknown option ${a}`);
    else rest.push(a);
  }
  return { command: rest[0], opts };
}

class Usage extends Error {}
class Refused extends Error {}

const money = (cents) => `${cents < 0 ? "-" : "+"}${(Math.abs(cents) / 100).toFixed(2)}`;

function printPlan(plan, out) {
  const workloads = plan.workloadChanges ?? [];
  if (!plan.changes.length && !workloads.length) out(`No changes (${plan.unchanged} up to date).`);
  for (const c of plan.changes) {
    const what =
      c.action === "create" ? `${c.offering}, ${c.template}` : c.action === "resize" ? `-> ${c.offering}` : c.action === "replace" ? `${c.template}` : "";
    out(`  ${c.action.padEnd(8)} ${c.name.padEnd(24)} ${what}`.trimEnd());
  }
  for (const c of workloads) {
    const what =
      c.action === "create" ? `${c.image}, ${c.replicas} x ${c.offering}` : c.action === "scale" ? `${c.fromReplicas} -> ${c.replicas}` : c.action === "rollout" ? `${c.fromImage} -> ${c.image}` : c.action === "replace" ? `(${c.reason})` : "";
    out(`  ${c.action.padEnd(8)} ${`workload ${c.name}`.padEnd(24)} ${what}`.trimEnd());
  }
  out(`Waves: ${plan.waves.map((w) => `[${w.join(", ")}]`).join(" -> ") || "none"}`);
  out(`Monthly cost change: ${money(plan.monthlyDeltaCents)}`);
  const over = plan.quota.filter((q) => q.over);
  if (over.length) out(`Over quota: ${over.map((q) => `${q.resource} (${q.used} + ${q.adding} > ${q.limit})`).join(", ")}`);
  for (const e of plan.errors) out(`error: ${e.group}: ${e.message}`);
}

export async function main(argv, io = {}) {
  const env = io.env ?? process.env;
  const doFetch = io.fetch ?? globalThis.fetch;
  const out = io.stdout ?? ((s) => process.stdout.write(s + "\n"));
  const err = io.stderr ?? ((s) => process.stderr.write(s + "\n"));
  const read = io.readFile ?? ((f) => readFile(f, "utf8"));
  const write = io.writeFile ?? ((f, s) => writeFile(f, s));
  const sleep = io.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    err(`${e.message}\n${USAGE}`);
    return 2;
  }
  const { command, opts } = parsed;
  if (opts.help || !command) {
    out(USAGE);
    return command || opts.help ? 0 : 2;
  }
  if (!["plan", "apply", "destroy", "export"].includes(command)) {
    err(`unknown command ${command}\n${USAGE}`);
    return 2;
  }
  const base = (env.ORQUESTRA_URL ?? "").replace(/\/+$/, "");
  const token = env.ORQUESTRA_TOKEN ?? "";
  if (!base || !token) {
    err("set ORQUESTRA_URL and ORQUESTRA_TOKEN (an API token from Settings -> API tokens)");
    return 2;
  }
  const api = async (method, path, body) => {
    const res = await doFetch(`${base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    if (!res.ok) {
      const e = json?.error ?? {};
      const problems = e.details?.problems;
      if (Array.isArray(problems) && opts.file) throw new Refused(problems.map((p) => `${opts.file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n"));
      throw new Refused(`${res.status} ${e.code ?? ""}: ${e.message ?? text.slice(0, 300)}`.trim());
    }
    return json;
  };

  try {
    if (command === "export") {
      if (!opts.project || !opts.machines?.length || !opts.name) throw new Usage("export needs --project, --machines and --name");
      const r = await api("POST", "/stacks/export", { projectId: opts.project, machineIds: opts.machines, name: opts.name, ...(opts.adopt ? { adopt: true } : {}) });
      if (opts.output) await write(opts.output, r.yaml);
      else out(r.yaml.trimEnd());
      if (r.stackId) err(`adopted as stack ${r.stackId}`);
      return 0;
    }
    if (!opts.file) throw new Usage(`${command} needs -f stack.yaml`);
    const yaml = await read(opts.file);
    let meta;
    try {
      meta = parseYaml(yaml)?.metadata;
    } catch {
      meta = null;
    }
    if (command === "destroy") {
      const list = await api("GET", "/stacks");
      const stack = list.items.find((s) => s.projectSlug === meta?.project && s.name === meta?.name);
      if (!stack) throw new Refused(`no stack ${meta?.name ?? "?"} in project ${meta?.project ?? "?"}`);
      await api("POST", `/stacks/${stack.id}/destroy`);
      out(`Destroying stack ${stack.name}...`);
      return opts.wait ? await follow(api, stack.id, ["DESTROYED", "FAILED"], out, sleep) : 0;
    }
    const saved = await api("POST", "/stacks", { yaml });
    const params = Object.keys(opts.params).length ? { parameters: opts.params } : {};
    const plan = await api("POST", `/stacks/${saved.stackId}/plan`, { versionId: saved.versionId, ...params });
    out(`Stack ${meta?.name} version ${plan.version}: plan`);
    printPlan(plan, out);
    if (command === "plan") return plan.errors.length ? 1 : 0;
    const applied = await api("POST", `/stacks/${saved.stackId}/apply`, { versionId: saved.versionId, ...params });
    out(`Applying: ${applied.status}${applied.reason ? ` (${applied.reason})` : ""}`);
    return opts.wait ? await follow(api, saved.stackId, ["APPLIED", "FAILED"], out, sleep) : 0;
  } catch (e) {
    if (e instanceof Usage) {
      err(`${e.message}\n${USAGE}`);
      return 2;
    }
    err(e instanceof Refused ? e.message : `error: ${e?.message ?? e}`);
    return 1;
  }
}

async function follow(api, stackId, done, out, sleep) {
  let last = "";
  for (;;) {
    const s = await api("GET", `/stacks/${stackId}`);
    const line = `${s.status}${s.statusReason ? `: ${s.statusReason}` : ""}`;
    if (line !== last) out(`  ${line}`);
    last = line;
    if (done.includes(s.status)) {
      for (const [k, v] of Object.entries(s.outputs ?? {})) out(`  output ${k} = ${v}`);
      return s.status === "FAILED" ? 1 : 0;
    }
    await sleep(2000);
  }
}

// Run when executed (not when imported by the tests).
const invoked = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
const viaBin = process.argv[1] && /orquestra(\.mjs)?$/.test(process.argv[1]);
if (invoked || viaBin) process.exitCode = await main(process.argv.slice(2));
