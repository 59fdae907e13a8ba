-- AlterTable
ALTER TABLE "Machine" ADD COLUMN     "tags" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Operation" ADD COLUMN     "phase" TEXT,
ADD COLUMN     "phaseStep" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "phaseSteps" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "retryOfId" UUID;

