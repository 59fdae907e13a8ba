import fs from "node:fs";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { Agent, request } from "undici";
import { expect, expectAccessible, login, logout, test, unique } from "./fixtures";

// Issue 16: an administrator gives a template cloud-init user data (checked as cloud-config,
// with the line and column of a mistake) and a login user; a member adds an SSH key in
// Settings (a bad key is refused with the reason, a good one shows its SHA256 fingerprint),
// requests a machine with it, and the machine page shows the SSH command and the injected
// key's fingerprint. The first test uses the simulator (it records what was injected); the
// second provisions a real LXD container (the demo's "LXD (local)" provider, skipped when the
// local LXD is not running) and reads the key back from LXD itself.

// The public half of a throw-away key and the fingerprint `ssh-keygen -lf` printed for it.
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPwRTcJQ3PM7srR3iaH6sgEqygr59vSTDSDO9VFXyCAZ alice@laptop";
const FINGERPRINT = "SHA256:DG2N/f8XODo9lQucyafnJGmyZF67M/UrVPy0uyWQ/SE";
const TEMPLATE = "Ubuntu 24.04 LTS";

async function hydrated(el: Locator) {
  await expect.poll(() => el.evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps")))).toBe(true);
}

async function editTemplate(page: Page) {
  await page.goto("/admin/templates");
  await page.getByRole("link", { name: `Edit ${TEMPLATE}` }).click();
  await hydrated(page.getByRole("button", { name: "Save", exact: true }));
}

test("SSH keys in settings are injected with the template's user data, and the machine page shows how to connect", async ({ page }) => {
  test.setTimeout(300_000);
  const keyName = unique("laptop");
  const machine = unique("ssh");

  // ---- The administrator sets the template's user data: a mistake is shown with its position.
  await login(page, "admin");
  await editTemplate(page);
  await page.getByLabel("Login user").fill("ubuntu");
  const userData = page.getByLabel("Cloud-init user data");
  await userData.fill("#cloud-config\npackages: nginx\n");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Line 2, column 11: “packages” must be a list")).toBeVisible();
  await userData.fill("#cloud-config\npackages:\n  - nginx\n  bad: [\n");
  await expect(page.getByText(/^Line 4, column \d+: This is not valid YAML\.$/)).toBeVisible();
  await userData.fill("#cloud-config\npackages:\n  - nginx\nruncmd:\n  - systemctl enable --now nginx\n");
  await expect(page.getByText(/This is not valid YAML/)).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/templates$/);
  await editTemplate(page);
  await expect(page.getByLabel("Cloud-init user data")).toHaveValue(/systemctl enable --now nginx/);
  await expect(page.getByLabel("Login user")).toHaveValue("ubuntu");
  await logout(page);

  // ---- A member adds a key: a private key and a damaged one are refused with the reason.
  await login(page, "alice");
  await page.getByRole("link", { name: "SSH keys" }).click();
  await expect(page).toHaveURL(/\/settings\/ssh-keys$/);
  await expect(page.getByRole("heading", { name: "SSH keys", level: 1 })).toBeVisible();
  await hydrated(page.getByRole("button", { name: "Add key" }));
  await page.getByLabel("Name").fill(keyName);
  await page.getByLabel("Public key").fill("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----");
  await page.getByRole("button", { name: "Add key" }).click();
  await expect(page.getByText("This is a PRIVATE key: never share it.", { exact: false })).toBeVisible();
  await page.getByLabel("Public key").fill(KEY.replace("AAAAC3Nza", "AAAAB3Nza"));
  await page.getByRole("button", { name: "Add key" }).click();
  await expect(page.getByText(/The key data (is damaged|does not match the key type)/)).toBeVisible();
  await page.getByLabel("Public key").fill(KEY);
  await page.getByRole("button", { name: "Add key" }).click();
  const row = page.getByRole("table", { name: "Your SSH keys" }).getByRole("row", { name: new RegExp(keyName) });
  await expect(row).toContainText(FINGERPRINT);
  await expect(row).toContainText("ssh-ed25519");
  // The same key again is refused.
  await page.getByLabel("Name").fill("again");
  await page.getByLabel("Public key").fill(KEY);
  await page.getByRole("button", { name: "Add key" }).click();
  await expect(page.getByText("You already have this key.")).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: "/tmp/access-ssh-keys.png", fullPage: true });

  // ---- The request form offers the key, ticked; Web Platform approves a Small SSD at once.
  await page.goto("/catalog");
  await page.getByRole("link", { name: "Request Small SSD" }).click();
  await page.getByLabel("Project").selectOption({ label: "Web Platform" });
  await page.getByLabel("OS template").selectOption({ label: TEMPLATE });
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Machine name").fill(machine);
  const keys = page.getByRole("group", { name: "SSH keys to inject" });
  await expect(keys.getByRole("checkbox", { name: new RegExp(keyName) })).toBeChecked();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Submit request" }).click();
  await expect(page).toHaveURL(/\/requests/);

  // ---- The machine page: IP, SSH command with the template's user, the injected key.
  await page.goto("/machines");
  await page.getByRole("link", { name: machine, exact: true }).click();
  await expect(page.locator("#machine-state")).toHaveText(/Running/, { timeout: 60_000 });
  const connection = page.locator('[aria-labelledby="connection-title"]');
  await expect(connection.getByTestId("ssh-command")).toHaveText(/^ssh ubuntu@\d+\.\d+\.\d+\.\d+$/);
  await expect(connection.getByRole("list", { name: "Injected keys" })).toContainText(keyName);
  await expect(connection.getByRole("list", { name: "Injected keys" })).toContainText(FINGERPRINT);
  await expect(connection).toContainText("Injected by: Simulator");
  await expectAccessible(page);
  await page.screenshot({ path: "/tmp/access-machine.png", fullPage: true });

  // ---- Deleting the key: new requests do not offer it; the machine keeps its record.
  await page.goto("/settings/ssh-keys");
  await hydrated(page.getByRole("button", { name: `Delete key ${keyName}` }));
  await page.getByRole("button", { name: `Delete key ${keyName}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete key" }).click();
  await expect(page.getByText("No SSH keys yet.")).toBeVisible();
  await page.goto("/machines");
  await page.getByRole("link", { name: machine, exact: true }).click();
  await expect(page.locator('[aria-labelledby="connection-title"]')).toContainText(FINGERPRINT);
});

const backends = path.resolve(process.env.ORQ_BACKENDS_DIR ?? path.join(process.cwd(), ".backends"));
const lxdSocket = path.join(backends, "lxd/dir/unix.socket");
const LXD = "LXD (local)";
// A second throw-away key (ssh-keygen -t ed25519), so the two tests never share one.
const LXD_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMbP+3gCZWNTlI1Z4ZZgcoZrp0e+ZhqgnUG/5m3E6Nhb alice@lxd-lab";
const LXD_FINGERPRINT = "SHA256:BP2DyfH0ruQcNnIhlRzAy/MEnLqK+9qMUtwUyJNsLYE";

async function setProjectProviders(page: Page, project: string, tick: string[], defaultName: string | null) {
  await page.goto("/admin/projects");
  await page.getByRole("link", { name: project, exact: true }).click();
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Providers" }) });
  await hydrated(section.getByRole("button", { name: "Save providers" }));
  for (const box of await section.getByRole("checkbox").all()) await box.uncheck();
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const name of tick) await section.getByRole("checkbox", { name: new RegExp(`^${escape(name)} `) }).check();
  await section.getByLabel("Default provider").selectOption(defaultName ? { label: defaultName } : { value: "" });
  await section.getByRole("button", { name: "Save providers" }).click();
  await expect(page.getByText(/Providers saved\.|Nothing changed\./)).toBeVisible();
}

/** The LXD instance's config, straight from LXD's API on its unix socket. */
async function lxdInstanceConfig(name: string): Promise<Record<string, string>> {
  const agent = new Agent({ connect: { socketPath: lxdSocket } });
  try {
    const res = await request(`http://lxd/1.0/instances/${encodeURIComponent(name)}`, { dispatcher: agent });
    return ((await res.body.json()) as { metadata: { config: Record<string, string> } }).metadata.config;
  } finally {
    await agent.close();
  }
}

test("an SSH key is injected into a real LXD container, and its machine page says so", async ({ page }) => {
  test.skip(!fs.existsSync(lxdSocket), `LXD is not running (no ${lxdSocket}); start it with npm run backends:up`);
  test.setTimeout(240_000);
  const keyName = unique("lxd-key");
  const machine = unique("lxdssh");

  // ---- The administrator brings the LXD provider online and lets Web Platform use it.
  await login(page, "admin");
  await page.goto("/admin/providers");
  await page.getByRole("link", { name: `Edit provider ${LXD}`, exact: true }).click();
  await hydrated(page.getByRole("button", { name: "Discover hosts" }));
  await page.getByRole("button", { name: "Discover hosts" }).click();
  await expect(page.getByText(/new hosts?, \d+ updated/)).toBeVisible();
  await setProjectProviders(page, "Web Platform", ["Simulator (local)", LXD], "Simulator (local)");
  await logout(page);
  // Whatever happens below, Web Platform gets its providers back (other specs rely on them).
  try {
    // ---- Alice adds her key, then asks for a BusyBox container on LXD (auto-approved).
    await login(page, "alice");
    await page.goto("/settings/ssh-keys");
    await hydrated(page.getByRole("button", { name: "Add key" }));
    await page.getByLabel("Name").fill(keyName);
    await page.getByLabel("Public key").fill(LXD_KEY);
    await page.getByRole("button", { name: "Add key" }).click();
    await expect(page.getByRole("table", { name: "Your SSH keys" }).getByRole("row", { name: new RegExp(keyName) })).toContainText(LXD_FINGERPRINT);

    await page.goto("/catalog");
    await page.getByRole("link", { name: "Request Small SSD" }).click();
    await hydrated(page.getByRole("button", { name: "Submit request" }));
    await page.getByLabel("Project").selectOption({ label: "Web Platform" });
    await page.getByLabel("OS template").selectOption({ label: "BusyBox (lab image)" });
    await page.getByLabel("Placement", { exact: true }).selectOption({ label: `${LXD} (LXD)` });
    await page.getByLabel("Quantity").fill("1");
    await page.getByLabel("Machine name").fill(machine);
    await expect(page.getByRole("group", { name: "SSH keys to inject" }).getByRole("checkbox", { name: new RegExp(keyName) })).toBeChecked();
    await page.getByRole("button", { name: "Submit request" }).click();
    await expect(page).toHaveURL(/\/requests/);
    await page.goto("/machines");
    await page.getByRole("link", { name: machine, exact: true }).click();
    await expect(page).toHaveURL(/\/machines\/[0-9a-f-]{36}$/);
    await expect(page.locator("#machine-state")).toHaveText(/Running/, { timeout: 120_000 });

    // ---- The connection details: the key and how it went in.
    const connection = page.locator('[aria-labelledby="connection-title"]');
    const injected = connection.getByRole("list", { name: "Injected keys" });
    await expect(injected).toContainText(keyName);
    await expect(injected).toContainText(LXD_FINGERPRINT);
    await expect(connection).toContainText("Injected by: LXD cloud-init.user-data");
    const exec = await connection.getByText(/^lxc exec \S+ -- sh$/).textContent();
    const ref = /^lxc exec (\S+) -- sh$/.exec(exec ?? "")?.[1] ?? "";
    expect(ref).not.toBe("");
    await expectAccessible(page);
    await page.screenshot({ path: `/tmp/seed-lxd-machine-${process.env.E2E_PORT ?? "e2e"}.png`, fullPage: true });

    // ---- LXD itself has the key in the instance's cloud-init user data.
    const config = await lxdInstanceConfig(ref);
    const userData = config["cloud-init.user-data"] ?? config["user.user-data"] ?? "";
    expect(userData).toContain(LXD_KEY);
    expect(userData).toContain(`hostname: ${machine}`);

    // ---- Clean up: the machine and the key go.
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel(`Type ${machine} to confirm`).fill(machine);
    await dialog.getByRole("button", { name: "Delete machine" }).click();
    await expect(page.locator("#machine-state")).toHaveText(/Deleted/, { timeout: 60_000 });
    await page.goto("/settings/ssh-keys");
    await hydrated(page.getByRole("button", { name: `Delete key ${keyName}` }));
    await page.getByRole("button", { name: `Delete key ${keyName}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete key" }).click();
    await expect(page.getByRole("button", { name: `Delete key ${keyName}` })).toHaveCount(0);
  } finally {
    await page.context().clearCookies();
    await login(page, "admin");
    await setProjectProviders(page, "Web Platform", [], null);
  }
});
