-- CreateEnum
CREATE TYPE "MetricResolution" AS ENUM ('RAW', 'M5', 'H1');

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

-- CreateIndex
CREATE INDEX "MetricSample_resolution_at_idx" ON "MetricSample"("resolution", "at");

-- CreateIndex
CREATE INDEX "MetricSample_projectId_resolution_at_idx" ON "MetricSample"("projectId", "resolution", "at");

-- CreateIndex
CREATE UNIQUE INDEX "MetricSample_machineId_resolution_at_key" ON "MetricSample"("machineId", "resolution", "at");

