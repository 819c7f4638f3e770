-- A group's members are written only beside their group: created with it in one batch, changed after the group row
-- is locked, deleted with it in one statement. The foreign key re-checked what those paths guarantee, with a lookup
-- and a key-share lock on the group row for every member row: measured when creating groups, half of the members
-- insert's time.
ALTER TABLE group_members DROP CONSTRAINT IF EXISTS group_members_app_id_group_id_fkey;
