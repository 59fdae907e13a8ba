-- Request.namesText also holds the current names of the request's machines that were renamed
-- since (the names requested stay too): the request lists' search by machine name finds a
-- request by the name its machine goes by today as well as by the one it was requested under.

CREATE OR REPLACE FUNCTION orq_request_names_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."namesText" := concat_ws(' ', array_to_string(NEW.names, ' '), (
    SELECT string_agg(m.name, ' ' ORDER BY m.name)
    FROM "Machine" m
    WHERE m."requestId" = NEW.id AND NOT (m.name = ANY (NEW.names))
  ));
  RETURN NEW;
END
$$;

-- A machine renamed: its request's namesText is recomputed (by the trigger above).
CREATE FUNCTION orq_machine_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Request" SET "namesText" = '' WHERE id = NEW."requestId";
  RETURN NULL;
END
$$;
CREATE TRIGGER machine_renamed AFTER UPDATE OF name ON "Machine"
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name AND NEW."requestId" IS NOT NULL)
  EXECUTE FUNCTION orq_machine_renamed();

-- Machines renamed before this migration.
UPDATE "Request" r SET "namesText" = '' WHERE EXISTS (
  SELECT 1 FROM "Machine" m WHERE m."requestId" = r.id AND NOT (m.name = ANY (r.names))
);
