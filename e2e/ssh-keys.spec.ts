import type { Locator, Page } from "@playwright/test";
import { expect, expectAccessible, login, logout, test, unique } from "./fixtures";

// Issue 16: an administrator gives a template cloud-init user data (checked as cloud-config,
// with the line and column of a mistake) and a login user; a member adds an SSH key in
// Settings (a bad key is refused with the reason, a good one shows its SHA256 fingerprint),
// requests a machine with it, and the machine page shows the SSH command and the injected
// key's fingerprint. The e2e seed has only the simulator: it records what was injected.

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
