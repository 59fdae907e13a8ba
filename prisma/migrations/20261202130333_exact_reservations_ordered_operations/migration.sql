-- AlterEnum
ALTER TYPE "OperationKind" ADD VALUE 'CLEANUP';

-- DropIndex
DROP INDEX "Operation_status_idx";

-- AlterTable
ALTER TABLE "Provider" ADD COLUMN     "lastReconcileAt" TIMESTAMP(3),
ADD COLUMN     "retryMaxAttempts" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "retryMaxDelaySeconds" INTEGER NOT NULL DEFAULT 60;

-- AlterTable: reservation facts, backfilled from what existing machines reserved (their
-- offering as it is now, and the request's cost share fixed at submission).
ALTER TABLE "Machine" ADD COLUMN     "diskGb" INTEGER,
ADD COLUMN     "diskTier" "DiskTier",
ADD COLUMN     "memoryMb" INTEGER,
ADD COLUMN     "monthlyCents" INTEGER,
ADD COLUMN     "vcpu" INTEGER;
UPDATE "Machine" m SET "vcpu" = o."vcpu", "memoryMb" = o."memoryMb", "diskGb" = o."diskGb", "diskTier" = o."diskTier",
  "monthlyCents" = COALESCE(
    (SELECT round(r."monthlyCostCents"::numeric / r."quantity")::int FROM "Request" r
      WHERE r.id = m."requestId" AND r."offeringId" = m."offeringId" AND r."quantity" > 0),
    o."monthlyPriceCents")
FROM "Offering" o WHERE o.id = m."offeringId";
ALTER TABLE "Machine" ALTER COLUMN "diskGb" SET NOT NULL,
ALTER COLUMN "diskTier" SET NOT NULL,
ALTER COLUMN "memoryMb" SET NOT NULL,
ALTER COLUMN "monthlyCents" SET NOT NULL,
ALTER COLUMN "vcpu" SET NOT NULL;

-- AlterTable
ALTER TABLE "Operation" ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "seq" BIGSERIAL NOT NULL;
-- Existing operations keep their order of creation.
UPDATE "Operation" o SET "seq" = x.rn FROM (
  SELECT id, row_number() OVER (ORDER BY "createdAt", id) AS rn FROM "Operation"
) x WHERE x.id = o.id;
SELECT setval(pg_get_serial_sequence('"Operation"', 'seq'), COALESCE((SELECT max("seq") FROM "Operation"), 0) + 1, false);

-- AlterTable
ALTER TABLE "SimMachine" ADD COLUMN     "installationId" TEXT;

-- CreateTable
CREATE TABLE "Installation" (
    "id" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Installation_pkey" PRIMARY KEY ("id")
);
INSERT INTO "Installation" ("id") VALUES (gen_random_uuid());

-- CreateTable
CREATE TABLE "ReconcileRun" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "providerId" UUID,
    "trigger" TEXT NOT NULL DEFAULT 'schedule',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "findings" JSONB NOT NULL DEFAULT '[]',
    "repaired" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "ReconcileRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReconcileRun_kind_startedAt_idx" ON "ReconcileRun"("kind", "startedAt");

-- CreateIndex
CREATE INDEX "Machine_requestId_idx" ON "Machine"("requestId");

-- CreateIndex
CREATE INDEX "Machine_providerId_idx" ON "Machine"("providerId");

-- CreateIndex
CREATE INDEX "Operation_machineId_seq_idx" ON "Operation"("machineId", "seq");

-- CreateIndex
CREATE INDEX "Operation_status_createdAt_idx" ON "Operation"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Operation_seq_key" ON "Operation"("seq");

