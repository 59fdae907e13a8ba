// Demo price books (illustrative prices, in the demo currency; import your own at
// /admin/price-books). Keyed by provider kind, so they price every provider of the kind,
// including ones registered later (an EC2 provider gets the EC2 list prices the moment it is
// added); the second simulator site has a book of its own, dearer, so the price comparison
// has a real choice to show and "cheapest" placement keeps to the local simulator.
import type { PrismaClient } from "../lib/generated/prisma/client";
import type { PriceItemKind, PriceUnit, ProviderKind } from "../lib/generated/prisma/enums";

type Item = { kind: PriceItemKind; unit: PriceUnit; amount: number; name?: string; vcpu?: number; memoryGib?: number };

/** The demo's prices take effect from this date (before any demo machine exists). */
export const DEMO_PRICES_FROM = new Date("2025-01-01T00:00:00.000Z");

/** Cost model per month: vCPU, GiB of memory, GB of SSD and HDD, fee per running machine (currency units). */
const model = (vcpu: number, gib: number, ssd: number, hdd: number, fee: number): Item[] => [
  { kind: "VCPU", unit: "MONTH", amount: vcpu },
  { kind: "MEMORY_GIB", unit: "MONTH", amount: gib },
  { kind: "SSD_GB", unit: "MONTH", amount: ssd },
  { kind: "HDD_GB", unit: "MONTH", amount: hdd },
  ...(fee ? [{ kind: "MACHINE" as const, unit: "MONTH" as const, amount: fee }] : []),
];

const instance = (name: string, vcpu: number, memoryGib: number, perHour: number): Item => ({ kind: "INSTANCE", unit: "HOUR", name, vcpu, memoryGib, amount: perHour });

export const DEMO_KIND_PRICES: Partial<Record<ProviderKind, { note: string; items: Item[] }>> = {
  SIMULATOR: { note: "Demo: a private cloud's cost model", items: model(4.2, 1.6, 0.12, 0.03, 2) },
  // Licences and backup make the fixed fee.
  VSPHERE: { note: "Demo: vSphere with per-VM licensing and backup", items: model(9, 3, 0.14, 0.05, 12) },
  LIBVIRT: { note: "Demo: KVM on owned hardware", items: model(6, 2.2, 0.1, 0.03, 2) },
  LXD: { note: "Demo: LXD system containers", items: model(5, 2, 0.1, 0.03, 1) },
  DOCKER: { note: "Demo: containers on shared hosts", items: model(4.5, 1.8, 0.1, 0.03, 0) },
  EC2: {
    note: "Demo: illustrative on-demand Linux list prices (import the current ones)",
    items: [
      instance("t3.micro", 2, 1, 0.0114),
      instance("t3.small", 2, 2, 0.0228),
      instance("t3.medium", 2, 4, 0.0456),
      instance("t3.large", 2, 8, 0.0912),
      instance("m6i.large", 2, 8, 0.107),
      instance("m6i.xlarge", 4, 16, 0.214),
      instance("m6i.2xlarge", 8, 32, 0.428),
      instance("c6i.4xlarge", 16, 32, 0.768),
      instance("r6i.2xlarge", 8, 64, 0.564),
      // gp3 and st1 volumes, per GB-month.
      { kind: "SSD_GB", unit: "MONTH", amount: 0.088 },
      { kind: "HDD_GB", unit: "MONTH", amount: 0.05 },
    ],
  },
};

/** The second simulated site's own prices (a colocation: dearer compute and power, cheaper SSD). */
export const DEMO_SITE_B_PRICES = { note: "Demo: the second site's cost model", items: model(5.5, 2.1, 0.11, 0.035, 3) };

const millicents = (amount: number) => Math.round(amount * 100_000);

async function ensureVersion(db: PrismaClient, where: { providerId: string } | { providerKind: ProviderKind }, book: { note: string; items: Item[] }) {
  const existing = await db.priceBook.findFirst({ where, include: { _count: { select: { versions: true } } } });
  const b = existing ?? (await db.priceBook.create({ data: where, include: { _count: { select: { versions: true } } } }));
  // An administrator's versions win over the seed.
  if (b._count.versions > 0) return;
  await db.priceVersion.create({
    data: {
      priceBookId: b.id,
      effectiveFrom: DEMO_PRICES_FROM,
      note: book.note,
      source: "seed",
      items: {
        create: book.items.map((i) => ({
          kind: i.kind,
          unit: i.unit,
          name: i.name ?? "",
          vcpu: i.vcpu ?? null,
          memoryMb: i.memoryGib ? Math.round(i.memoryGib * 1024) : null,
          millicents: millicents(i.amount),
        })),
      },
    },
  });
}

export async function seedDemoPrices(db: PrismaClient, siteBProviderId: string): Promise<void> {
  for (const [kind, book] of Object.entries(DEMO_KIND_PRICES)) await ensureVersion(db, { providerKind: kind as ProviderKind }, book!);
  await ensureVersion(db, { providerId: siteBProviderId }, DEMO_SITE_B_PRICES);
}
