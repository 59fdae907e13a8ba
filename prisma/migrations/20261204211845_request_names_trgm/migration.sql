-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "namesText" TEXT NOT NULL DEFAULT '';

-- Request.namesText is the request's machine names joined with spaces, kept by this trigger
-- (the app never writes it), so "contains" searches on names can use a trigram index.
CREATE FUNCTION orq_request_names_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."namesText" := array_to_string(NEW.names, ' ');
  RETURN NEW;
END
$$;
CREATE TRIGGER request_names_text BEFORE INSERT OR UPDATE ON "Request"
  FOR EACH ROW EXECUTE FUNCTION orq_request_names_text();
UPDATE "Request" SET "namesText" = array_to_string(names, ' ');

-- CreateIndex
CREATE INDEX "Request_namesText_idx" ON "Request" USING GIN ("namesText" gin_trgm_ops);

