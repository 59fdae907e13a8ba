-- CreateEnum
CREATE TYPE "ProjectPlacementPolicy" AS ENUM ('PRIVATE_FIRST', 'CHEAPEST', 'SPREAD', 'PACK');

-- CreateEnum
CREATE TYPE "PriceItemKind" AS ENUM ('VCPU', 'MEMORY_GIB', 'SSD_GB', 'HDD_GB', 'MACHINE', 'INSTANCE');

-- CreateEnum
CREATE TYPE "PriceUnit" AS ENUM ('HOUR', 'MONTH');

-- CreateEnum
CREATE TYPE "BudgetBasis" AS ENUM ('ACTUAL', 'FORECAST');

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "placementPolicy" "ProjectPlacementPolicy" NOT NULL DEFAULT 'CHEAPEST',
ADD COLUMN     "providerChoice" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "PriceBook" (
    "id" UUID NOT NULL,
    "providerId" UUID,
    "providerKind" "ProviderKind",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PriceBook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PriceVersion" (
    "id" UUID NOT NULL,
    "priceBookId" UUID NOT NULL,
    "effectiveFrom" TIMESTAMP(3) NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'form',
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PriceVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PriceItem" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "kind" "PriceItemKind" NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "vcpu" INTEGER,
    "memoryMb" INTEGER,
    "unit" "PriceUnit" NOT NULL,
    "millicents" INTEGER NOT NULL,

    CONSTRAINT "PriceItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CostMeter" (
    "machineId" UUID NOT NULL,
    "accruedUntil" TIMESTAMP(3) NOT NULL,
    "live" BOOLEAN NOT NULL DEFAULT false,
    "powered" BOOLEAN NOT NULL DEFAULT false,
    "providerId" UUID,
    "offeringId" UUID NOT NULL,
    "vcpu" INTEGER NOT NULL,
    "memoryMb" INTEGER NOT NULL,
    "diskGb" INTEGER NOT NULL,
    "diskTier" "DiskTier" NOT NULL,
    "lastSeq" BIGINT NOT NULL DEFAULT 0,
    "computeCarry" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "storageCarry" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CostMeter_pkey" PRIMARY KEY ("machineId")
);

-- CreateTable
CREATE TABLE "CostAccrual" (
    "machineId" UUID NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "projectId" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "offeringId" UUID NOT NULL,
    "providerId" UUID NOT NULL,
    "computeMillicents" BIGINT NOT NULL DEFAULT 0,
    "storageMillicents" BIGINT NOT NULL DEFAULT 0,
    "poweredSeconds" INTEGER NOT NULL DEFAULT 0,
    "liveSeconds" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CostAccrual_pkey" PRIMARY KEY ("machineId","hour")
);

-- CreateTable
CREATE TABLE "CostDaily" (
    "day" DATE NOT NULL,
    "projectId" UUID NOT NULL,
    "providerId" UUID NOT NULL,
    "offeringId" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "computeMillicents" BIGINT NOT NULL DEFAULT 0,
    "storageMillicents" BIGINT NOT NULL DEFAULT 0,
    "poweredSeconds" BIGINT NOT NULL DEFAULT 0,
    "liveSeconds" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "CostDaily_pkey" PRIMARY KEY ("day","projectId","providerId","offeringId","ownerId")
);

-- CreateTable
CREATE TABLE "CostLedger" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "accruedUntil" TIMESTAMP(3),
    "rolledUpThrough" DATE,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CostLedger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetThreshold" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "percent" INTEGER NOT NULL,
    "basis" "BudgetBasis" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BudgetThreshold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetAlert" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "month" DATE NOT NULL,
    "percent" INTEGER NOT NULL,
    "basis" "BudgetBasis" NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "budgetCents" INTEGER NOT NULL,
    "firedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BudgetAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PriceBook_providerId_key" ON "PriceBook"("providerId");

-- CreateIndex
CREATE UNIQUE INDEX "PriceBook_providerKind_key" ON "PriceBook"("providerKind");

-- CreateIndex
CREATE UNIQUE INDEX "PriceVersion_priceBookId_effectiveFrom_key" ON "PriceVersion"("priceBookId", "effectiveFrom");

-- CreateIndex
CREATE UNIQUE INDEX "PriceItem_versionId_kind_name_key" ON "PriceItem"("versionId", "kind", "name");

-- CreateIndex
CREATE INDEX "CostMeter_live_idx" ON "CostMeter"("live");

-- CreateIndex
CREATE INDEX "CostAccrual_hour_idx" ON "CostAccrual"("hour");

-- CreateIndex
CREATE INDEX "CostAccrual_projectId_hour_idx" ON "CostAccrual"("projectId", "hour");

-- CreateIndex
CREATE INDEX "CostDaily_projectId_day_idx" ON "CostDaily"("projectId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetThreshold_projectId_percent_basis_key" ON "BudgetThreshold"("projectId", "percent", "basis");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetAlert_projectId_month_percent_basis_key" ON "BudgetAlert"("projectId", "month", "percent", "basis");

-- AddForeignKey
ALTER TABLE "PriceBook" ADD CONSTRAINT "PriceBook_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PriceVersion" ADD CONSTRAINT "PriceVersion_priceBookId_fkey" FOREIGN KEY ("priceBookId") REFERENCES "PriceBook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PriceItem" ADD CONSTRAINT "PriceItem_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PriceVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CostMeter" ADD CONSTRAINT "CostMeter_machineId_fkey" FOREIGN KEY ("machineId") REFERENCES "Machine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetThreshold" ADD CONSTRAINT "BudgetThreshold_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

