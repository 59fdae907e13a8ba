// Endpoints whose hypervisor runs no guest (browser-safe): libvirt's test driver (test:///,
// test+unix://...) defines domains and "starts" them, but no QEMU runs: there is no screen, no
// shell, no disk image and nothing reads a cloud-init seed. The console (lib/console/availability.ts),
// the injection record and the machine page (lib/access/injection.ts) and the libvirt driver's
// capabilities (no backup, no cloudInit) read it here, so they say the same.
import type { ProviderKind } from "../generated/prisma/enums";

const NO_GUEST_ENDPOINT: Partial<Record<ProviderKind, RegExp>> = { LIBVIRT: /^\s*test(\+|:)/i };

/** true: this provider's machines are records only (nothing boots, nothing is injected). */
export function runsNoGuest(kind: ProviderKind | null | undefined, endpoint: string | null | undefined): boolean {
  return !!kind && !!endpoint && !!NO_GUEST_ENDPOINT[kind]?.test(endpoint);
}
