-- What drizzle cannot express: triggers. `related_documents` counts the searchable messages
-- of each channel (related search's document totals, read on every search instead of counting
-- a million index rows). The index rows are written by the messages repository
-- (src/db/postgres/messages.ts) and deleted with their message (ON DELETE CASCADE).
-- Deleted words go sooner: vacuum these tables after 1% of their rows changed instead of 20%
-- (forget-me, retention and platform deletes leave dead rows that hold the old text).
CREATE FUNCTION related_documents_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO related_documents (community_id, channel_id, documents) VALUES (NEW.community_id, NEW.channel_id, 1)
		ON CONFLICT (community_id, channel_id) DO UPDATE SET documents = related_documents.documents + 1;
		RETURN NEW;
	END IF;
	UPDATE related_documents SET documents = documents - 1 WHERE community_id = OLD.community_id AND channel_id = OLD.channel_id;
	RETURN OLD;
END $$;
--> statement-breakpoint
CREATE TRIGGER related_documents_after_insert AFTER INSERT ON related_index FOR EACH ROW EXECUTE FUNCTION related_documents_count();
--> statement-breakpoint
CREATE TRIGGER related_documents_after_delete AFTER DELETE ON related_index FOR EACH ROW EXECUTE FUNCTION related_documents_count();
--> statement-breakpoint
ALTER TABLE messages SET (autovacuum_vacuum_scale_factor = 0.01);
--> statement-breakpoint
ALTER TABLE related_index SET (autovacuum_vacuum_scale_factor = 0.01);
