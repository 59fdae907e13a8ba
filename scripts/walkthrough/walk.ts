// The issue-16 newcomer walkthrough: every demo role does the features in English and
// Portuguese, at 1280x800 and 390x844, against a running portal on the embedded demo data.
// Not a test: it drives real Chromium, saves a screenshot per step and prints what it noticed
// (page titles, favicon, sideways scrolling, likely English text in pt-BR, raw codes).
//
//   PORT=3000 npm start                       # the demo (seeded), in another terminal
//   BASE=http://localhost:3000 npx tsx scripts/walkthrough/walk.ts [out-dir]
//
// Screenshots go to <out-dir>/<lang>-<width>-<step>.png (default /tmp/walk4). The Docker step
// (a console on a container) needs the local Podman of `npm run backends:up`; the script brings
// the demo's Docker provider online (Discover hosts) and lets Web Platform use it.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";

const BASE = (process.env.BASE ?? "http://localhost:3000").replace(/\/$/, "");
const OUT = path.resolve(process.argv[2] ?? "/tmp/walk4");
const LANGS = (process.env.WALK_LANGS ?? "en,pt-BR").split(",") as Lang[];
const WIDTHS = (process.env.WALK_WIDTHS ?? "1280,390").split(",").map(Number);
const PASSWORD = "orquestra";
// Names made by this run end with it, so a walk can be repeated on the same data.
const RUN = Date.now().toString(36).slice(-4);
const DOCKER = "Docker (local Podman)";
type Lang = "en" | "pt-BR";
type Role = "alice" | "bob" | "approver" | "finance" | "admin";

// ---- The catalogue: labels are looked up by key, so one script walks both languages.
const catalogues: Record<Lang, Record<string, unknown>> = { en: {}, "pt-BR": {} };
for (const lang of ["en", "pt-BR"] as Lang[]) {
  const dir = path.join(process.cwd(), "messages", lang);
  for (const f of fs.readdirSync(dir)) catalogues[lang][f.replace(/\.json$/, "")] = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
}
function msg(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  let v: unknown = catalogues[lang];
  for (const part of key.split(".")) v = (v as Record<string, unknown>)?.[part];
  if (typeof v !== "string") throw new Error(`no message ${key} in ${lang}`);
  return v.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

// ---- What the walk notices on every page.
const findings: string[] = [];
const walked: string[] = [];
const EN_WORDS =
  /\b(the|Request|Requests|Submit|Cancel|Approve|Reject|None|Save|Delete|Search|Status|Name|Owner|Created|Machines?|Project|Sign out|Loading|Back|Next|Previous|of|and|with|days?|hours?|minutes?|ago|month|Pending|Running|Stopped|Failed|Approved|Rejected|Details|Settings|Comments?|Send|Export|Download|Filter|All|Size|Price|Template|Offering|Provider|Host|Stage|by|to|for|unavailable|No )\b/;
const RAW_CODE = /\b(SIMULATOR|VSPHERE|LIBVIRT|DOCKER|HYPERV|KUBERNETES|AZURE|[A-Z]{3,}_[A-Z_]{3,})\b/;
// Words that are the same in both languages or proper names in the demo.
const SAME = /^(Orquestra|Docker.*|LXD.*|KVM.*|vSphere.*|Amazon EC2.*|Simulator \((local|site B)\)|BusyBox.*|Ubuntu.*|Debian.*|Rocky.*|Windows.*|.*@orquestra\.local|CSV|SSH|OK|API|Status)$/;

async function look(page: Page, lang: Lang, width: number, step: string) {
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {});
  const file = path.join(OUT, `${lang}-${width}-${step}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const info = await page.evaluate(() => {
    const vw = window.innerWidth;
    const off: string[] = [];
    for (const el of document.querySelectorAll("button, a, input, select, textarea, th, td, h1, h2, label, [role=status]")) {
      const r = el.getBoundingClientRect();
      if (!r.width || r.right <= vw + 1) continue;
      let p = el.parentElement;
      let scrolls = false;
      while (p) {
        const s = getComputedStyle(p);
        if ((s.overflowX === "auto" || s.overflowX === "scroll" || s.overflowX === "hidden") && p.scrollWidth > p.clientWidth) scrolls = true;
        p = p.parentElement;
      }
      if (!scrolls) off.push(`${el.tagName}:${(el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 40)}`);
    }
    return {
      title: document.title,
      icon: Boolean(document.querySelector("link[rel~=icon]")),
      lang: document.documentElement.lang,
      sideways: document.documentElement.scrollWidth > vw + 1 ? `${document.documentElement.scrollWidth}>${vw}` : "",
      off: off.slice(0, 6),
      text: document.body.innerText,
    };
  });
  const where = `${lang}-${width}-${step}`;
  walked.push(`${where}\t${new URL(page.url()).pathname}\t${info.title}`);
  const note = (s: string) => findings.push(`${where}: ${s}`);
  if (!info.title || info.title === "Orquestra") note(`generic title "${info.title}"`);
  if (!info.icon) note("no favicon link");
  if (info.lang !== lang) note(`html lang=${info.lang}`);
  if (info.sideways) note(`page scrolls sideways ${info.sideways}`);
  if (info.off.length) note(`off-screen: ${info.off.join(" | ")}`);
  const lines = [...new Set(info.text.split("\n").map((l) => l.trim()).filter(Boolean))];
  for (const l of lines) {
    if (l.length > 160 || SAME.test(l)) continue;
    if (RAW_CODE.test(l)) note(`raw code? "${l.slice(0, 100)}"`);
    if (lang === "pt-BR" && EN_WORDS.test(l) && !/[ãçõéêáíóúâ]/i.test(l)) note(`English? "${l.slice(0, 100)}"`);
  }
}

// ---- Sign-in, one context per role, the language by its cookie.
const contexts = new Map<Role, { ctx: BrowserContext; page: Page }>();
let current: Page | null = null;
async function as(browser: Browser, role: Role, lang: Lang, width: number): Promise<Page> {
  let c = contexts.get(role);
  if (!c) {
    const ctx = await browser.newContext({ viewport: { width, height: 800 }, acceptDownloads: true });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    await ctx.addCookies([{ name: "NEXT_LOCALE", value: lang, url: BASE }]);
    await page.goto(`${BASE}/login`);
    await page.locator("#email").fill(`${role}@orquestra.local`);
    await page.locator("#password").fill(PASSWORD);
    await page.getByRole("button", { name: msg(lang, "auth.signIn"), exact: true }).click();
    await page.waitForURL(/\/dashboard/);
    c = { ctx, page };
    contexts.set(role, c);
  }
  await c.ctx.addCookies([{ name: "NEXT_LOCALE", value: lang, url: BASE }]);
  await c.page.setViewportSize({ width, height: width < 600 ? 844 : 800 });
  current = c.page;
  return c.page;
}

/** A fresh OpenSSH ed25519 public key line ("ssh-ed25519 AAAA..."). */
function ed25519PublicKey(): string {
  const der = crypto.generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "der" });
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from("ssh-ed25519")), str(der.subarray(der.length - 32))]).toString("base64")}`;
}

async function hydrated(page: Page, selector: string) {
  await page.waitForFunction((s) => {
    const el = document.querySelector(s);
    return Boolean(el && Object.keys(el).some((k) => k.startsWith("__reactProps")));
  }, selector);
}
async function selectByText(page: Page, selector: string, text: string) {
  await page.locator(selector).waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error(`no ${selector} on ${page.url()}`);
  });
  const value = await page.locator(selector).evaluate((el, t) => [...(el as HTMLSelectElement).options].find((o) => o.text.includes(t))?.value, text);
  if (value === undefined) throw new Error(`${selector}: no option "${text}"`);
  await page.locator(selector).selectOption(value);
}

// ---- Once: the Docker provider online and usable by Web Platform (for the console).
async function setUp(browser: Browser) {
  const page = await as(browser, "admin", "en", 1280);
  await page.goto(`${BASE}/admin/providers`);
  await page.getByRole("link", { name: `Edit provider ${DOCKER}`, exact: true }).click();
  await hydrated(page, "button");
  await page.getByRole("button", { name: "Discover hosts" }).click();
  await page.getByText(/new hosts?, \d+ updated|hosts? updated|Nothing/).first().waitFor({ timeout: 60_000 }).catch(() => findings.push("setup: Discover hosts gave no result"));
  await page.goto(`${BASE}/admin/projects`);
  await page.getByRole("link", { name: "Web Platform", exact: true }).click();
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Providers" }) });
  await section.getByRole("button", { name: "Save providers" }).waitFor();
  await hydrated(page, "section button");
  // Ticking one provider limits the project to the ticked ones: the simulators stay.
  let changed = false;
  for (const name of [DOCKER, "Simulator (local)", "Simulator (site B)"]) {
    const box = section.getByRole("checkbox", { name: new RegExp(`^${name.replace(/[()]/g, "\\$&")} `) });
    if (!(await box.isChecked())) {
      await box.check();
      changed = true;
    }
  }
  if (changed) {
    await section.getByRole("button", { name: "Save providers" }).click();
    await page.getByText(/Providers saved\.|Nothing changed\./).waitFor();
  }
}

async function step(name: string, fn: () => Promise<void>) {
  const t0 = Date.now();
  try {
    await fn();
  } catch (err) {
    const shot = path.join(OUT, `FAILED-${name.replace(/[^a-z0-9-]+/gi, "_").slice(0, 60)}.png`);
    await current?.screenshot({ path: shot, fullPage: true }).catch(() => {});
    findings.push(`${name}: STEP FAILED on ${current?.url()}: ${(err as Error).message.split("\n")[0]} (${shot})`);
  }
  console.log(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function walk(browser: Browser, lang: Lang, width: number) {
  const tag = `${lang === "en" ? "en" : "pt"}${width}-${RUN}`;
  const L = (key: string, vars?: Record<string, string | number>) => msg(lang, key, vars);
  const id = `${lang}-${width}`;
  const state: { aliceReq?: string; dockerMachine?: string; simMachine?: string; bobReq?: string; bobReject?: string } = {};

  await step(`${id} alice: catalogue, ssh key, request with preview`, async () => {
    const page = await as(browser, "alice", lang, width);
    await page.goto(`${BASE}/dashboard`);
    await look(page, lang, width, "01-alice-dashboard");
    await page.goto(`${BASE}/catalog`);
    await look(page, lang, width, "02-alice-catalog");
    await page.goto(`${BASE}/settings/ssh-keys`);
    if ((await page.getByText(`walk-${tag}`).count()) === 0) {
      await hydrated(page, "#ssh-key-name");
      await page.locator("#ssh-key-name").fill(`walk-${tag}`);
      await page.locator("#ssh-key-public").fill(`${ed25519PublicKey()} alice@${tag}`);
      await page.locator("form").filter({ has: page.locator("#ssh-key-name") }).getByRole("button", { name: L("access.add") }).click();
      await page.getByText(`walk-${tag}`).first().waitFor();
    }
    await look(page, lang, width, "03-alice-ssh-keys");
    // The request form: the lab template is not offered by Internal Tools, and says why.
    await page.goto(`${BASE}/catalog`);
    await page.getByRole("link", { name: L("catalog.requestOffering", { name: "Small SSD" }) }).first().click();
    await hydrated(page, "#projectId");
    await selectByText(page, "#projectId", "Internal Tools");
    // Templates no provider of the project can run are marked "(unavailable: ...)" (in the demo
    // the simulators serve every template, so none is unless the project's providers are limited).
    const options = await page.locator("#templateId option").allTextContents();
    walked.push(`${id}\tform templates for Internal Tools\t${options.join(" | ")}`);
    await look(page, lang, width, "04-alice-form-unavailable");
    // A BusyBox container on Docker in Web Platform, with the cost and quota preview.
    await selectByText(page, "#projectId", "Web Platform");
    await selectByText(page, "#templateId", "BusyBox");
    await page.getByRole("radio", { name: new RegExp(DOCKER.replace(/[()]/g, "\\$&")) }).check();
    await page.locator("#quantity").fill("1");
    await page.locator("#name").fill(`box-${tag}`);
    await page.locator("#justification").fill(`Walkthrough ${tag}`).catch(() => {});
    await look(page, lang, width, "05-alice-form-preview");
    await page.getByRole("button", { name: L("requests.submit") }).click();
    await page.waitForURL(/\/requests(\/\d+)?$/);
    await look(page, lang, width, "06-alice-requests");
    state.dockerMachine = `box-${tag}`;
    // A simulator machine too (resize, retry, rename, tags, transfer).
    await page.goto(`${BASE}/catalog`);
    await page.getByRole("link", { name: L("catalog.requestOffering", { name: "Small SSD" }) }).first().click();
    await hydrated(page, "#projectId");
    await selectByText(page, "#projectId", "Web Platform");
    await selectByText(page, "#templateId", "Ubuntu");
    await page.getByRole("radio", { name: /Simulator \(local\)/ }).check();
    await page.locator("#quantity").fill("1");
    await page.locator("#name").fill(`sim-${tag}`);
    await page.getByRole("button", { name: L("requests.submit") }).click();
    await page.waitForURL(/\/requests(\/\d+)?$/);
    state.simMachine = `sim-${tag}`;
    // The request page of the first one: timeline, machines, a comment.
    await page.goto(`${BASE}/requests`);
    const link = page.getByRole("row").filter({ hasText: `box-${tag}` }).getByRole("link").first();
    if (await link.count()) await link.click();
    else await page.getByRole("link", { name: /#\d+/ }).first().click();
    await page.waitForURL(/\/requests\/\d+$/);
    state.aliceReq = page.url();
    await hydrated(page, "#comment-body");
    await page.locator("#comment-body").fill(`Walkthrough comment ${tag}`);
    await page.getByRole("button", { name: L("requestPage.send") }).click();
    await page.getByTestId("request-comments").getByText(`Walkthrough comment ${tag}`).waitFor();
    await look(page, lang, width, "07-alice-request-page");
  });

  await step(`${id} alice: machines list (search, sort, bulk, CSV)`, async () => {
    const page = await as(browser, "alice", lang, width);
    await page.goto(`${BASE}/machines`);
    await look(page, lang, width, "08-alice-machines");
    await hydrated(page, "#f-q");
    await page.locator("#f-q").fill(tag);
    await page.waitForURL(/q=/);
    await look(page, lang, width, "09-alice-machines-search");
    // On a phone the header row is hidden (rows are cards): the sort links above the cards.
    const sortLink = width < 640 ? page.getByTestId("phone-sort").getByRole("link").first() : page.locator("thead a").first();
    if (await sortLink.count()) {
      await sortLink.click();
      await page.waitForURL(/sort=/);
    } else findings.push(`${id}: machines: no sort control`);
    const box = page.getByRole("checkbox").nth(1);
    if (await box.count()) {
      await box.check();
      await look(page, lang, width, "10-alice-machines-bulk");
      await box.uncheck();
    }
    const csv = page.getByRole("link", { name: L("lists.exportCsv") });
    if (await csv.count()) {
      const href = await csv.first().getAttribute("href");
      const res = await page.request.get(new URL(href!, BASE).toString());
      if (!res.ok() || !/csv/.test(res.headers()["content-type"] ?? "")) findings.push(`${id}: machines CSV ${res.status()} ${res.headers()["content-type"]}`);
    } else findings.push(`${id}: machines: no CSV link`);
  });

  await step(`${id} alice: machine page, connection details, console`, async () => {
    const page = await as(browser, "alice", lang, width);
    await page.goto(`${BASE}/machines?q=box-${tag}`);
    await page.getByRole("link", { name: `box-${tag}`, exact: true }).first().click();
    await page.waitForURL(/\/machines\/[0-9a-f-]{36}$/);
    await page.locator("#machine-state").filter({ hasText: L("machines.states.RUNNING") }).waitFor({ timeout: 120_000 });
    await look(page, lang, width, "11-alice-machine-docker");
    await page.getByRole("link", { name: L("console.panel.open") }).click();
    await page.waitForURL(/\/console$/);
    const status = page.getByTestId("console-status");
    await page.waitForFunction(() => document.querySelector("[data-testid=console-status]")?.getAttribute("data-state") === "connected", undefined, { timeout: 60_000 });
    await page.getByTestId("console-terminal").locator("textarea").first().pressSequentially("echo walk-$((6*7))");
    await page.keyboard.press("Enter");
    await page.getByTestId("console-terminal").locator(".xterm-rows").getByText("walk-42").first().waitFor();
    void status;
    await look(page, lang, width, "12-alice-console");
  });

  await step(`${id} alice: simulator machine: ops, resize, rename, tags, transfer`, async () => {
    const page = await as(browser, "alice", lang, width);
    await page.goto(`${BASE}/machines?q=sim-${tag}`);
    await page.getByRole("link", { name: `sim-${tag}`, exact: true }).first().click();
    await page.waitForURL(/\/machines\/[0-9a-f-]{36}$/);
    await page.locator("#machine-state").filter({ hasText: L("machines.states.RUNNING") }).waitFor({ timeout: 120_000 });
    await look(page, lang, width, "13-alice-machine-sim");
    await hydrated(page, "#machine-rename");
    await page.getByRole("button", { name: L("machines.actions.stop"), exact: true }).click();
    await page.waitForTimeout(300);
    await look(page, lang, width, "14-alice-machine-stopping");
    await page.locator("#machine-state").filter({ hasText: L("machines.states.STOPPED") }).waitFor({ timeout: 120_000 });
    await page.getByRole("button", { name: L("machines.actions.resize"), exact: true }).click();
    await page.getByTestId("resize-options").waitFor();
    await look(page, lang, width, "15-alice-resize");
    await page.keyboard.press("Escape");
    await page.locator("#machine-rename").fill(`sim-${tag}-r`);
    await page.getByRole("button", { name: L("ops.details.rename") }).click();
    await page.getByRole("heading", { level: 1 }).filter({ hasText: `sim-${tag}-r` }).waitFor();
    await page.locator("#machine-tags").fill("env=walk\nteam=web");
    await page.getByRole("button", { name: L("ops.details.saveTags") }).click();
    await page.getByText(L("ops.details.tagsSaved")).first().waitFor();
    await look(page, lang, width, "16-alice-details");
    await selectByText(page, "#machine-transfer", "Paulo Approver");
    await page.getByRole("button", { name: L("ops.details.transfer"), exact: true }).click();
    await page.locator("#machine-transfer").waitFor({ state: "detached" });
    await look(page, lang, width, "17-alice-transferred");
  });

  await step(`${id} bob: two requests in Data Science`, async () => {
    const page = await as(browser, "bob", lang, width);
    for (const [prefix, offering, n] of [
      [`train-${tag}`, "Medium SSD", "4"],
      [`tiny-${tag}`, "Small SSD", "1"],
    ] as const) {
      await page.goto(`${BASE}/catalog`);
      await page.getByRole("link", { name: L("catalog.requestOffering", { name: offering }) }).first().click();
      await hydrated(page, "#projectId");
      await selectByText(page, "#projectId", "Data Science").catch(() => {});
      await selectByText(page, "#templateId", "Debian");
      await page.locator("#quantity").fill(n);
      await page.locator("#name").fill(prefix);
      await page.locator("#justification").fill(`Walkthrough ${tag}`);
      if (n === "4") await look(page, lang, width, "18-bob-form-two-stage");
      await page.getByRole("button", { name: L("requests.submit") }).click();
      await page.waitForURL(/\/requests(\/\d+)?$/);
      await page.goto(`${BASE}/requests`);
      await page.getByRole("row").filter({ hasText: prefix }).getByRole("link").first().click();
      await page.waitForURL(/\/requests\/\d+$/);
      if (n === "4") state.bobReq = page.url();
      else state.bobReject = page.url();
    }
    await page.goto(state.bobReq!);
    await hydrated(page, "#comment-body");
    await page.locator("#comment-body").fill(`Four runs in parallel (${tag})`);
    await page.getByRole("button", { name: L("requestPage.send") }).click();
    await page.getByTestId("request-comments").getByText(`Four runs in parallel (${tag})`).waitFor();
    await look(page, lang, width, "19-bob-request-waiting");
  });

  await step(`${id} approver: queue, reply, approve stage 1 (bob's page updates live), reject`, async () => {
    const page = await as(browser, "approver", lang, width);
    await page.goto(`${BASE}/admin/approvals`);
    await look(page, lang, width, "20-approver-queue");
    await page.goto(state.bobReq!);
    await hydrated(page, "#comment-body");
    await page.locator("#comment-body").fill(`Fine for the team (${tag})`);
    await page.getByRole("button", { name: L("requestPage.send") }).click();
    await page.getByTestId("request-comments").getByText(`Fine for the team (${tag})`).waitFor();
    await page.getByRole("button", { name: new RegExp(`^${L("approvals.approve")}`) }).first().click();
    await page.getByTestId("request-timeline").getByText(/Paulo Approver/).first().waitFor();
    await look(page, lang, width, "21-approver-stage1-approved");
    // Bob's page, open since before: the approval and the reply arrive without a reload.
    const bob = contexts.get("bob")!.page;
    await bob.getByTestId("request-timeline").getByText(/Paulo Approver/).first().waitFor({ timeout: 60_000 });
    await bob.getByTestId("request-comments").getByText(`Fine for the team (${tag})`).waitFor({ timeout: 60_000 });
    await look(bob, lang, width, "22-bob-live-update");
    // The small one is rejected with a reason.
    await page.goto(state.bobReject!);
    await page.getByRole("button", { name: new RegExp(`^${L("approvals.reject")}`) }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.locator("textarea").fill(`Use the shared cluster (${tag})`);
    await look(page, lang, width, "23-approver-reject-dialog");
    await dialog.getByRole("button", { name: L("approvals.rejectConfirm") }).click();
    await dialog.waitFor({ state: "detached" });
    await look(page, lang, width, "24-approver-rejected");
  });

  await step(`${id} finance: queue, approve stage 2`, async () => {
    const page = await as(browser, "finance", lang, width);
    await page.goto(`${BASE}/admin/approvals`);
    await look(page, lang, width, "25-finance-queue");
    await page.goto(state.bobReq!);
    await page.getByRole("button", { name: new RegExp(`^${L("approvals.approve")}`) }).first().click();
    await page.getByTestId("request-timeline").getByText(/Fernanda Finance/).first().waitFor();
    await page.getByTestId("request-machines").getByRole("link").first().waitFor({ timeout: 60_000 });
    await look(page, lang, width, "26-finance-approved");
  });

  await step(`${id} bob: resubmit the rejected request`, async () => {
    const page = await as(browser, "bob", lang, width);
    await page.goto(state.bobReject!);
    await look(page, lang, width, "27-bob-rejected");
    await page.getByRole("button", { name: L("requestPage.resubmit") }).click();
    await page.waitForURL((u) => u.toString() !== state.bobReject);
    await look(page, lang, width, "28-bob-resubmitted");
  });

  await step(`${id} alice: delete the container (it runs on the shared Podman)`, async () => {
    const page = await as(browser, "alice", lang, width);
    await page.goto(`${BASE}/machines?q=box-${tag}`);
    await page.getByRole("link", { name: `box-${tag}`, exact: true }).first().click();
    await page.waitForURL(/\/machines\/[0-9a-f-]{36}$/);
    await hydrated(page, "#machine-rename");
    await page.getByRole("button", { name: L("machines.actions.delete"), exact: true }).click();
    await page.locator("#delete-confirm").fill(`box-${tag}`);
    await page.getByRole("button", { name: L("machines.delete.submit") }).click();
    await page.locator("#machine-state").filter({ hasText: L("machines.states.DELETED") }).waitFor({ timeout: 120_000 });
    await look(page, lang, width, "39-alice-deleted");
  });

  await step(`${id} admin: audit (filters, CSV), providers, groups, projects, operations`, async () => {
    const page = await as(browser, "admin", lang, width);
    await page.goto(`${BASE}/admin/audit`);
    await look(page, lang, width, "29-admin-audit");
    await page.goto(`${BASE}/admin/audit?actor=alice%40orquestra.local`);
    await look(page, lang, width, "30-admin-audit-alice");
    const csv = page.getByRole("link", { name: L("audit.exportCsv") });
    const href = await csv.first().getAttribute("href");
    const res = await page.request.get(new URL(href!, BASE).toString());
    if (!res.ok()) findings.push(`${id}: audit CSV ${res.status()}`);
    for (const [n, p] of [
      ["31-admin-providers", "/admin/providers"],
      ["32-admin-groups", "/admin/groups"],
      ["33-admin-projects", "/admin/projects"],
      ["34-admin-templates", "/admin/templates"],
      ["35-admin-machines", "/machines"],
      ["36-admin-requests", "/requests"],
    ]) {
      await page.goto(`${BASE}${p}`);
      await look(page, lang, width, n);
    }
    await page.goto(`${BASE}/admin/projects`);
    await page.getByRole("link", { name: "Data Science", exact: true }).first().click();
    await page.waitForURL(/\/admin\/projects\/[0-9a-f-]{36}$/);
    await look(page, lang, width, "37-admin-project-stages");
    await page.goto(`${BASE}/admin/templates`);
    await page.getByRole("link", { name: /BusyBox/ }).first().click();
    await look(page, lang, width, "38-admin-template-busybox");
  });
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    await step("set-up", () => setUp(browser));
    for (const lang of LANGS) for (const width of WIDTHS) await walk(browser, lang, width);
  } finally {
    await browser.close();
  }
  fs.writeFileSync(path.join(OUT, "walked.tsv"), walked.join("\n") + "\n");
  fs.writeFileSync(path.join(OUT, "findings.txt"), findings.join("\n") + "\n");
  console.log(`\n${walked.length} pages walked, ${findings.length} findings (${OUT}/findings.txt)`);
  for (const f of findings) console.log(f);
}

void main();
