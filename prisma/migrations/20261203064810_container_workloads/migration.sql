-- CreateEnum
CREATE TYPE "WorkloadState" AS ENUM ('PENDING', 'DEPLOYING', 'RUNNING', 'UPDATING', 'FAILED', 'DELETING', 'DELETED');

-- CreateEnum
CREATE TYPE "WorkloadOperationKind" AS ENUM ('DEPLOY', 'SCALE', 'ROLLOUT', 'RESTART', 'DELETE', 'CLEANUP');

-- CreateEnum
CREATE TYPE "WorkloadUpdateStrategy" AS ENUM ('ROLLING', 'RECREATE');

-- CreateTable
CREATE TABLE "Workload" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "offeringId" UUID NOT NULL,
    "providerId" UUID,
    "name" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "command" JSONB,
    "replicas" INTEGER NOT NULL,
    "reservedReplicas" INTEGER NOT NULL,
    "vcpu" INTEGER NOT NULL,
    "memoryMb" INTEGER NOT NULL,
    "monthlyCents" INTEGER NOT NULL,
    "ports" JSONB NOT NULL DEFAULT '[]',
    "env" JSONB NOT NULL DEFAULT '{}',
    "secretsEnc" TEXT,
    "healthCheck" JSONB,
    "autoscaling" JSONB,
    "updateStrategy" "WorkloadUpdateStrategy" NOT NULL DEFAULT 'ROLLING',
    "state" "WorkloadState" NOT NULL DEFAULT 'PENDING',
    "version" INTEGER NOT NULL DEFAULT 0,
    "externalRef" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "observed" JSONB,
    "observedAt" TIMESTAMP(3),
    "failureCode" TEXT,
    "failureReason" TEXT,
    "releasedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Workload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkloadOperation" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "workloadId" UUID NOT NULL,
    "kind" "WorkloadOperationKind" NOT NULL,
    "status" "OperationStatus" NOT NULL DEFAULT 'QUEUED',
    "requestedById" UUID,
    "params" JSONB NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "errorCode" TEXT,
    "error" TEXT,
    "nextAttemptAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "WorkloadOperation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SimWorkload" (
    "id" UUID NOT NULL,
    "providerId" UUID NOT NULL,
    "workloadId" TEXT NOT NULL,
    "installationId" TEXT,
    "name" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "replicas" INTEGER NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 1,
    "events" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SimWorkload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Workload_projectId_state_idx" ON "Workload"("projectId", "state");

-- CreateIndex
CREATE INDEX "Workload_providerId_idx" ON "Workload"("providerId");

-- CreateIndex
CREATE INDEX "WorkloadOperation_workloadId_seq_idx" ON "WorkloadOperation"("workloadId", "seq");

-- CreateIndex
CREATE INDEX "WorkloadOperation_status_createdAt_idx" ON "WorkloadOperation"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WorkloadOperation_seq_key" ON "WorkloadOperation"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "SimWorkload_providerId_workloadId_key" ON "SimWorkload"("providerId", "workloadId");

-- AddForeignKey
ALTER TABLE "Workload" ADD CONSTRAINT "Workload_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Workload" ADD CONSTRAINT "Workload_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Workload" ADD CONSTRAINT "Workload_offeringId_fkey" FOREIGN KEY ("offeringId") REFERENCES "Offering"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Workload" ADD CONSTRAINT "Workload_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkloadOperation" ADD CONSTRAINT "WorkloadOperation_workloadId_fkey" FOREIGN KEY ("workloadId") REFERENCES "Workload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkloadOperation" ADD CONSTRAINT "WorkloadOperation_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

