-- AlterTable
ALTER TABLE "AlertRule" ADD COLUMN     "machineId" UUID,
ADD COLUMN     "notify" BOOLEAN NOT NULL DEFAULT true;

