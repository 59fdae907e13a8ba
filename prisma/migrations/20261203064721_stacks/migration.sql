-- CreateEnum
CREATE TYPE "StackStatus" AS ENUM ('DRAFT', 'PENDING_APPROVAL', 'APPLYING', 'APPLIED', 'FAILED', 'DESTROYING', 'DESTROYED');

-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "stackGroup" TEXT,
ADD COLUMN     "stackId" UUID,
ADD COLUMN     "stackVersionId" UUID;

-- AlterTable
ALTER TABLE "Machine" ADD COLUMN     "stackGroup" TEXT,
ADD COLUMN     "stackId" UUID;

-- CreateTable
CREATE TABLE "Stack" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "healing" TEXT NOT NULL DEFAULT 'report',
    "status" "StackStatus" NOT NULL DEFAULT 'DRAFT',
    "statusReason" TEXT,
    "appliedVersionId" UUID,
    "appliedById" UUID,
    "applyWave" INTEGER NOT NULL DEFAULT 0,
    "applyStartedAt" TIMESTAMP(3),
    "applyAttempts" INTEGER NOT NULL DEFAULT 0,
    "runKind" TEXT NOT NULL DEFAULT 'apply',
    "outputs" JSONB NOT NULL DEFAULT '{}',
    "drift" JSONB NOT NULL DEFAULT '[]',
    "driftCheckedAt" TIMESTAMP(3),
    "healFailures" INTEGER NOT NULL DEFAULT 0,
    "healPausedAt" TIMESTAMP(3),
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Stack_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StackVersion" (
    "id" UUID NOT NULL,
    "stackId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "yaml" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "plan" JSONB,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "StackVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Stack_projectId_name_key" ON "Stack"("projectId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "StackVersion_stackId_number_key" ON "StackVersion"("stackId", "number");

-- CreateIndex
CREATE INDEX "Machine_stackId_idx" ON "Machine"("stackId");

-- AddForeignKey
ALTER TABLE "Machine" ADD CONSTRAINT "Machine_stackId_fkey" FOREIGN KEY ("stackId") REFERENCES "Stack"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Stack" ADD CONSTRAINT "Stack_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StackVersion" ADD CONSTRAINT "StackVersion_stackId_fkey" FOREIGN KEY ("stackId") REFERENCES "Stack"("id") ON DELETE CASCADE ON UPDATE CASCADE;

