-- CreateEnum
CREATE TYPE "MetricResolution" AS ENUM ('RAW', 'M5', 'H1');

-- CreateEnum
CREATE TYPE "AlertMetric" AS ENUM ('CPU_PERCENT', 'MEMORY_PERCENT', 'DISK_BYTES_PER_SECOND', 'NETWORK_BYTES_PER_SECOND');

-- CreateEnum
CREATE TYPE "AlertComparator" AS ENUM ('ABOVE', 'BELOW');

-- AlterTable
ALTER TABLE "Provider" ADD COLUMN     "lastMetricsAt" TIMESTAMP(3),
ADD COLUMN     "metricsIntervalSeconds" INTEGER NOT NULL DEFAULT 60;

-- CreateTable
CREATE TABLE "MetricSample" (
    "id" BIGSERIAL NOT NULL,
    "machineId" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "providerId" UUID NOT NULL,
    "resolution" "MetricResolution" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "cpuPercent" DOUBLE PRECISION,
    "memoryUsedBytes" DOUBLE PRECISION NOT NULL,
    "memoryTotalBytes" DOUBLE PRECISION,
    "diskReadBytes" DOUBLE PRECISION NOT NULL,
    "diskWriteBytes" DOUBLE PRECISION NOT NULL,
    "netInBytes" DOUBLE PRECISION NOT NULL,
    "netOutBytes" DOUBLE PRECISION NOT NULL,
    "samples" INTEGER NOT NULL DEFAULT 1,
    "counters" JSONB,

    CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertRule" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "metric" "AlertMetric" NOT NULL,
    "comparator" "AlertComparator" NOT NULL DEFAULT 'ABOVE',
    "threshold" DOUBLE PRECISION NOT NULL,
    "durationSeconds" INTEGER NOT NULL DEFAULT 300,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" UUID NOT NULL,
    "ruleId" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "machineId" UUID NOT NULL,
    "openKey" TEXT,
    "firedAt" TIMESTAMP(3) NOT NULL,
    "firedValue" DOUBLE PRECISION NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "resolvedValue" DOUBLE PRECISION,

    CONSTRAINT "AlertEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MetricSample_resolution_at_idx" ON "MetricSample"("resolution", "at");

-- CreateIndex
CREATE INDEX "MetricSample_projectId_resolution_at_idx" ON "MetricSample"("projectId", "resolution", "at");

-- CreateIndex
CREATE UNIQUE INDEX "MetricSample_machineId_resolution_at_key" ON "MetricSample"("machineId", "resolution", "at");

-- CreateIndex
CREATE INDEX "AlertRule_projectId_idx" ON "AlertRule"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "AlertEvent_openKey_key" ON "AlertEvent"("openKey");

-- CreateIndex
CREATE INDEX "AlertEvent_projectId_firedAt_idx" ON "AlertEvent"("projectId", "firedAt");

-- CreateIndex
CREATE INDEX "AlertEvent_machineId_firedAt_idx" ON "AlertEvent"("machineId", "firedAt");

-- AddForeignKey
ALTER TABLE "AlertEvent" ADD CONSTRAINT "AlertEvent_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

