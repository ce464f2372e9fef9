import type { Knex } from 'knex';

/** The tables whose changes are pushed to subscribers: the layers that keep a history, and the faults' steps. */
const LAYERS = ['cameras', 'neighbourhoods', 'network_nodes', 'network_lines', 'remote_units', 'parcels', 'assets'];

/**
 * Every statement that writes a layer (or adds a fault's step) notifies channel `kbs_changes`
 * with its schema, table and transaction time, delivered by PostgreSQL at commit to every API
 * process listening on the database: the process then reads what changed at that time (the
 * versions in the history, the fault's steps) and pushes it to its subscribers. Notifications
 * with the same text in one transaction are delivered once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE FUNCTION kbs_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('kbs_changes', json_build_object('s', current_schema(), 't', TG_TABLE_NAME, 'at', now()::text)::text);
      RETURN NULL;
    END $$`);
  for (const table of LAYERS) {
    await knex.raw(`CREATE TRIGGER ?? AFTER INSERT OR UPDATE OR DELETE ON ?? FOR EACH STATEMENT EXECUTE FUNCTION kbs_notify_change()`, [`${table}_notify_change`, table]);
  }
  await knex.raw(`CREATE TRIGGER fault_events_notify_change AFTER INSERT ON fault_events FOR EACH STATEMENT EXECUTE FUNCTION kbs_notify_change()`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...LAYERS, 'fault_events']) await knex.raw('DROP TRIGGER ?? ON ??', [`${table}_notify_change`, table]);
  await knex.raw('DROP FUNCTION kbs_notify_change()');
}
