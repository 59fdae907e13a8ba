import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { expect, expectAccessible, login, logout, test, unique } from "./fixtures";

// The VNC console of a real QEMU VM (libvirt qemu:///session of the shared backends): an
// administrator registers the hypervisor through the provider form, points the lab template at
// a blank disk image and lets Web Platform use it; Alice requests a machine there, opens its
// console from the machine page and sees the VM's screen (the BIOS) drawn by noVNC; the
// keyboard leaves the screen with Ctrl+], Ctrl+Alt+Del and Disconnect work. Skipped when the
// libvirt backend is not running. The VM is destroyed at the end whatever happens.

const backends = path.resolve(process.env.ORQ_BACKENDS_DIR ?? path.join(process.cwd(), ".backends"));
const libvirtSocket = path.join(backends, "libvirt/run/libvirt/libvirt-sock");
const QEMU_URI = `qemu+unix:///session?socket=${libvirtSocket}`;
const POOL = "orquestra";
const POOL_DIR = path.join(backends, "libvirt/images");
const BASE = path.join(POOL_DIR, "orquestra-vnc-base.qcow2");
const virsh = (...args: string[]) => execFileSync("virsh", ["-c", QEMU_URI, "-q", ...args], { encoding: "utf8" });

/** A blank 1 MiB disk (the BIOS finds nothing to boot and says so on the screen), owned by libvirtd's user. */
function ensureBaseImage() {
  if (fs.existsSync(BASE)) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "orq-vnc-e2e-"));
  try {
    fs.writeFileSync(path.join(tmp, "blank.raw"), Buffer.alloc(1024 * 1024));
    execFileSync("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", path.join(tmp, "blank.raw"), BASE]);
    fs.chownSync(BASE, 65534, 65534);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  virsh("pool-refresh", POOL);
}

/** Removes the domains of this run's machine from the shared hypervisor (and their disks). */
function destroyDomains(machine: string) {
  const names = virsh("list", "--all", "--name").split("\n").map((n) => n.trim()).filter((n) => n.startsWith(machine.toLowerCase()));
  for (const name of names) {
    try {
      virsh("destroy", name);
    } catch {
      /* not running */
    }
    try {
      virsh("undefine", name, "--remove-all-storage", "--snapshots-metadata");
    } catch {
      /* already gone */
    }
  }
}

async function hydrated(el: Locator) {
  await expect.poll(() => el.evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps")))).toBe(true);
}

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

/** How many distinct colours the screen's canvas shows (1 = blank). */
const canvasColours = (screen: Locator) =>
  screen.evaluate((box) => {
    const canvas = box.querySelector("canvas");
    if (!canvas || !canvas.width || !canvas.height) return 0;
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length && seen.size < 10; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  });

test("the VNC console of a QEMU VM shows its screen in the browser", async ({ page }) => {
  test.skip(!fs.existsSync(libvirtSocket), `libvirt is not running (no ${libvirtSocket}); start it with npm run backends:up`);
  test.setTimeout(240_000);
  ensureBaseImage();
  const providerName = unique("QEMU e2e");
  const machine = unique("screen");

  await login(page, "admin");
  try {
    // ---- The administrator registers the hypervisor, maps the lab template, lets Web Platform use it.
    await page.goto("/admin/providers/new");
    await hydrated(page.getByRole("button", { name: "Create provider" }));
    await page.getByLabel("Kind").selectOption({ label: "KVM (libvirt)" });
    await page.getByLabel("Name").fill(providerName);
    await page.getByLabel("Endpoint").fill(QEMU_URI);
    await page.getByLabel("Storage pool").fill(POOL);
    await page.getByLabel("Domain type").selectOption("qemu");
    // The BIOS ignores ACPI: a stop powers it off after this.
    await page.getByLabel("Graceful stop timeout (s)").fill("2");
    await page.getByRole("button", { name: "Create provider" }).click();
    await expect(page).toHaveURL(/\/admin\/providers\/[0-9a-f-]{36}$/);
    await hydrated(page.getByRole("button", { name: "Discover hosts" }));
    await page.getByRole("button", { name: "Discover hosts" }).click();
    await expect(page.getByText(/new hosts?, \d+ updated/)).toBeVisible();
    await page.goto("/admin/templates");
    await page.getByRole("row").filter({ hasText: "BusyBox (lab image)" }).getByRole("link", { name: /Edit/ }).click();
    await hydrated(page.getByRole("button", { name: "Save references" }));
    await page.getByLabel(`Reference on ${providerName}`).fill(BASE);
    await page.getByRole("button", { name: "Save references" }).click();
    await expect(page.getByText("Provider references saved.")).toBeVisible();
    await setProjectProviders(page, "Web Platform", ["Simulator (local)", providerName], "Simulator (local)");
    await logout(page);

    // ---- Alice asks for a machine on it (auto-approved in Web Platform).
    await login(page, "alice");
    await page.goto("/catalog");
    await page.getByRole("link", { name: "Request Small SSD" }).click();
    await hydrated(page.getByRole("button", { name: "Submit request" }));
    await page.getByLabel("Project").selectOption({ label: "Web Platform" });
    await page.getByLabel("OS template").selectOption({ label: "BusyBox (lab image)" });
    await page.getByLabel("Placement", { exact: true }).selectOption({ label: `${providerName} (KVM (libvirt))` });
    await page.getByLabel("Quantity").fill("1");
    await page.getByLabel("Machine name").fill(machine);
    await page.getByRole("button", { name: "Submit request" }).click();
    await expect(page).toHaveURL(/\/requests/);
    await page.goto("/machines");
    await page.getByRole("link", { name: machine, exact: true }).click();
    await expect(page).toHaveURL(/\/machines\/[0-9a-f-]{36}$/);
    const machineUrl = page.url();
    await expect(page.locator("#machine-state")).toHaveText(/Running/, { timeout: 120_000 });

    // ---- The console card says it is the machine's screen; the console page draws it.
    const panel = page
      .locator("div")
      .filter({ has: page.getByRole("heading", { name: "Console", exact: true }) })
      .filter({ has: page.getByRole("link", { name: "Open console" }) })
      .last();
    await expect(panel.getByText("This machine's screen, in your browser.")).toBeVisible();
    await panel.getByRole("link", { name: "Open console" }).click();
    await expect(page).toHaveURL(/\/console$/);
    const status = page.getByTestId("console-status");
    await expect(status).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
    const screen = page.getByTestId("console-screen");
    const canvas = page.getByRole("img", { name: `Screen of ${machine}` });
    await expect(canvas).toBeVisible();
    // The BIOS's text on the VM's screen: more than one colour on the canvas.
    await expect.poll(() => canvasColours(screen), { timeout: 30_000 }).toBeGreaterThan(1);
    // Connected: the screen has the keyboard; Ctrl+] hands it back to the page.
    await expect(canvas).toBeFocused();
    await page.keyboard.press("Control+BracketRight");
    await expect(page.getByRole("button", { name: "Send Ctrl+Alt+Del" })).toBeFocused();
    await page.getByRole("button", { name: "Send Ctrl+Alt+Del" }).click();
    await expect(status).toHaveAttribute("data-state", "connected");
    await page.screenshot({ path: `/tmp/vnc-console-${process.env.E2E_PORT ?? "e2e"}.png`, fullPage: true });
    await expectAccessible(page);
    await page.getByRole("button", { name: "Disconnect" }).click();
    await expect(status).toHaveText("Disconnected. The session ended.");
    await expect(page.getByRole("button", { name: "Send Ctrl+Alt+Del" })).toBeDisabled();

    // ---- Stopped, the machine has no console, in words.
    await page.goto(machineUrl);
    await page.getByRole("button", { name: "Stop", exact: true }).click();
    await expect(page.locator("#machine-state")).toHaveText(/Stopped/, { timeout: 60_000 });
    await page.goto(`${machineUrl}/console`);
    await expect(page.getByRole("status").filter({ hasText: "Start the machine to open its console." })).toBeVisible();
    await expectAccessible(page);

    // ---- Clean up through the portal: the machine is deleted.
    await page.goto(machineUrl);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel(`Type ${machine} to confirm`).fill(machine);
    await dialog.getByRole("button", { name: "Delete machine" }).click();
    await expect(page.locator("#machine-state")).toHaveText(/Deleted/, { timeout: 60_000 });
  } finally {
    destroyDomains(machine);
    await page.context().clearCookies();
    await login(page, "admin");
    await setProjectProviders(page, "Web Platform", [], null);
  }
});
