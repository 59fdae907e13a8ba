-- CreateEnum
CREATE TYPE "ScalingGroupStatus" AS ENUM ('ACTIVE', 'DELETED');

-- CreateEnum
CREATE TYPE "ScalingOutcome" AS ENUM ('HOLD', 'SCALED_OUT', 'SCALED_IN', 'QUOTA_REFUSED');

-- AlterTable
ALTER TABLE "Machine" ADD COLUMN     "scalingGroupId" UUID;

-- CreateTable
CREATE TABLE "ScalingGroup" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "ownerId" UUID NOT NULL,
    "offeringId" UUID NOT NULL,
    "templateId" UUID NOT NULL,
    "placementScope" "PlacementScope" NOT NULL DEFAULT 'AUTO',
    "placementProviderId" UUID,
    "minSize" INTEGER NOT NULL,
    "maxSize" INTEGER NOT NULL,
    "desired" INTEGER NOT NULL,
    "targetCpuPercent" DOUBLE PRECISION NOT NULL,
    "windowSeconds" INTEGER NOT NULL DEFAULT 120,
    "scaleOutCooldownSeconds" INTEGER NOT NULL DEFAULT 120,
    "scaleInCooldownSeconds" INTEGER NOT NULL DEFAULT 300,
    "stepSize" INTEGER NOT NULL DEFAULT 1,
    "nameSeq" INTEGER NOT NULL DEFAULT 0,
    "lastScaleOutAt" TIMESTAMP(3),
    "lastScaleInAt" TIMESTAMP(3),
    "lastEvaluatedAt" TIMESTAMP(3),
    "status" "ScalingGroupStatus" NOT NULL DEFAULT 'ACTIVE',
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "ScalingGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScalingDecision" (
    "id" UUID NOT NULL,
    "groupId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "windowEnd" TIMESTAMP(3) NOT NULL,
    "metricValue" DOUBLE PRECISION,
    "running" INTEGER NOT NULL,
    "actual" INTEGER NOT NULL,
    "desiredBefore" INTEGER NOT NULL,
    "desiredAfter" INTEGER NOT NULL,
    "outcome" "ScalingOutcome" NOT NULL,
    "reason" TEXT NOT NULL,
    "requestId" UUID,
    "machineIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "detail" JSONB,

    CONSTRAINT "ScalingDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ScalingGroup_projectId_status_idx" ON "ScalingGroup"("projectId", "status");

-- CreateIndex
CREATE INDEX "ScalingGroup_status_idx" ON "ScalingGroup"("status");

-- CreateIndex
CREATE INDEX "ScalingDecision_groupId_at_idx" ON "ScalingDecision"("groupId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ScalingDecision_groupId_windowEnd_key" ON "ScalingDecision"("groupId", "windowEnd");

-- CreateIndex
CREATE INDEX "Machine_scalingGroupId_idx" ON "Machine"("scalingGroupId");

-- AddForeignKey
ALTER TABLE "ScalingDecision" ADD CONSTRAINT "ScalingDecision_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ScalingGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

