-- CreateEnum
CREATE TYPE "HostDrainStatus" AS ENUM ('RUNNING', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "MaintenanceWindowStatus" AS ENUM ('SCHEDULED', 'ACTIVE', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "HostIncidentStatus" AS ENUM ('DETECTED', 'FENCED', 'RESOLVED');

-- CreateEnum
CREATE TYPE "BackupStatus" AS ENUM ('PENDING', 'RUNNING', 'AVAILABLE', 'FAILED', 'EXPIRED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "MachineState" ADD VALUE 'MIGRATING';
ALTER TYPE "MachineState" ADD VALUE 'RECOVERING';
ALTER TYPE "MachineState" ADD VALUE 'RESTORING';

-- AlterEnum
ALTER TYPE "HostState" ADD VALUE 'FAILED';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "OperationKind" ADD VALUE 'MIGRATE';
ALTER TYPE "OperationKind" ADD VALUE 'HA_RESTART';
ALTER TYPE "OperationKind" ADD VALUE 'BACKUP';
ALTER TYPE "OperationKind" ADD VALUE 'RESTORE';

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC';

-- AlterTable
ALTER TABLE "Host" ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "stateReason" TEXT;

-- AlterTable
ALTER TABLE "Machine" ADD COLUMN     "highlyAvailable" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "stopWindowCron" TEXT,
ADD COLUMN     "stopWindowMinutes" INTEGER;

-- AlterTable
ALTER TABLE "SimMachine" ADD COLUMN     "diskData" BYTEA,
ADD COLUMN     "ghostHost" TEXT;

-- CreateTable
CREATE TABLE "SimHostState" (
    "providerId" UUID NOT NULL,
    "hostRef" TEXT NOT NULL,
    "down" BOOLEAN NOT NULL DEFAULT true,
    "mode" TEXT NOT NULL DEFAULT 'CRASH',
    "fenced" BOOLEAN NOT NULL DEFAULT false,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimHostState_pkey" PRIMARY KEY ("providerId","hostRef")
);

-- CreateTable
CREATE TABLE "HostDrain" (
    "id" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "status" "HostDrainStatus" NOT NULL DEFAULT 'RUNNING',
    "reason" TEXT NOT NULL DEFAULT '',
    "requestedById" UUID,
    "windowId" UUID,
    "machinesAtStart" INTEGER NOT NULL DEFAULT 0,
    "movedLive" INTEGER NOT NULL DEFAULT 0,
    "movedCold" INTEGER NOT NULL DEFAULT 0,
    "failedMoves" INTEGER NOT NULL DEFAULT 0,
    "blocked" JSONB NOT NULL DEFAULT '[]',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "HostDrain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MaintenanceWindow" (
    "id" UUID NOT NULL,
    "hostId" UUID,
    "providerId" UUID,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "MaintenanceWindowStatus" NOT NULL DEFAULT 'SCHEDULED',
    "createdById" UUID,
    "notifiedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MaintenanceWindow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostIncident" (
    "id" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "status" "HostIncidentStatus" NOT NULL DEFAULT 'DETECTED',
    "reason" TEXT NOT NULL,
    "detectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fencedAt" TIMESTAMP(3),
    "haMachines" INTEGER NOT NULL DEFAULT 0,
    "otherMachines" INTEGER NOT NULL DEFAULT 0,
    "resolvedAt" TIMESTAMP(3),
    "resolvedById" UUID,

    CONSTRAINT "HostIncident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackupTarget" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT 'us-east-1',
    "bucket" TEXT NOT NULL,
    "prefix" TEXT NOT NULL DEFAULT '',
    "forcePathStyle" BOOLEAN NOT NULL DEFAULT true,
    "credentialsEnc" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackupTarget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackupPolicy" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "machineId" UUID,
    "targetId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "keepLast" INTEGER NOT NULL,
    "keepDays" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "nextRunAt" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackupPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Backup" (
    "id" UUID NOT NULL,
    "machineId" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "policyId" UUID,
    "targetId" UUID NOT NULL,
    "operationId" UUID,
    "status" "BackupStatus" NOT NULL DEFAULT 'PENDING',
    "objectKey" TEXT,
    "format" TEXT,
    "sizeBytes" BIGINT,
    "sha256" TEXT,
    "durationMs" INTEGER,
    "error" TEXT,
    "machineName" TEXT NOT NULL,
    "vcpu" INTEGER NOT NULL,
    "memoryMb" INTEGER NOT NULL,
    "diskGb" INTEGER NOT NULL,
    "diskTier" "DiskTier" NOT NULL,
    "templateId" UUID NOT NULL,
    "offeringId" UUID NOT NULL,
    "providerId" UUID,
    "startedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "verifiedAt" TIMESTAMP(3),
    "expiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Backup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Schedule" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "machineId" UUID,
    "name" TEXT NOT NULL,
    "action" "OperationKind" NOT NULL,
    "cron" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "nextRunAt" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduledFiring" (
    "source" TEXT NOT NULL,
    "occurrence" TIMESTAMP(3) NOT NULL,
    "firedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT NOT NULL,
    "operations" INTEGER NOT NULL DEFAULT 0,
    "skipped" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "ScheduledFiring_pkey" PRIMARY KEY ("source","occurrence")
);

-- CreateIndex
CREATE INDEX "HostDrain_hostId_status_idx" ON "HostDrain"("hostId", "status");

-- CreateIndex
CREATE INDEX "HostDrain_status_idx" ON "HostDrain"("status");

-- CreateIndex
CREATE INDEX "MaintenanceWindow_status_startsAt_idx" ON "MaintenanceWindow"("status", "startsAt");

-- CreateIndex
CREATE INDEX "MaintenanceWindow_hostId_endsAt_idx" ON "MaintenanceWindow"("hostId", "endsAt");

-- CreateIndex
CREATE INDEX "MaintenanceWindow_providerId_endsAt_idx" ON "MaintenanceWindow"("providerId", "endsAt");

-- CreateIndex
CREATE INDEX "HostIncident_hostId_status_idx" ON "HostIncident"("hostId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "BackupTarget_name_key" ON "BackupTarget"("name");

-- CreateIndex
CREATE INDEX "BackupPolicy_enabled_nextRunAt_idx" ON "BackupPolicy"("enabled", "nextRunAt");

-- CreateIndex
CREATE INDEX "BackupPolicy_projectId_idx" ON "BackupPolicy"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "Backup_operationId_key" ON "Backup"("operationId");

-- CreateIndex
CREATE INDEX "Backup_machineId_createdAt_idx" ON "Backup"("machineId", "createdAt");

-- CreateIndex
CREATE INDEX "Backup_policyId_status_createdAt_idx" ON "Backup"("policyId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Backup_projectId_createdAt_idx" ON "Backup"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Backup_status_createdAt_idx" ON "Backup"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Schedule_enabled_nextRunAt_idx" ON "Schedule"("enabled", "nextRunAt");

-- CreateIndex
CREATE INDEX "Schedule_projectId_idx" ON "Schedule"("projectId");

-- CreateIndex
CREATE INDEX "Schedule_machineId_idx" ON "Schedule"("machineId");

-- CreateIndex
CREATE INDEX "ScheduledFiring_firedAt_idx" ON "ScheduledFiring"("firedAt");

-- AddForeignKey
ALTER TABLE "HostDrain" ADD CONSTRAINT "HostDrain_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaintenanceWindow" ADD CONSTRAINT "MaintenanceWindow_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostIncident" ADD CONSTRAINT "HostIncident_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackupPolicy" ADD CONSTRAINT "BackupPolicy_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackupPolicy" ADD CONSTRAINT "BackupPolicy_machineId_fkey" FOREIGN KEY ("machineId") REFERENCES "Machine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackupPolicy" ADD CONSTRAINT "BackupPolicy_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "BackupTarget"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Backup" ADD CONSTRAINT "Backup_machineId_fkey" FOREIGN KEY ("machineId") REFERENCES "Machine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Backup" ADD CONSTRAINT "Backup_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "BackupPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Backup" ADD CONSTRAINT "Backup_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "BackupTarget"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Schedule" ADD CONSTRAINT "Schedule_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Schedule" ADD CONSTRAINT "Schedule_machineId_fkey" FOREIGN KEY ("machineId") REFERENCES "Machine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

