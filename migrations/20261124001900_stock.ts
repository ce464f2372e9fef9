import type { Knex } from 'knex';

/**
 * Consumables and spare parts (sarf malzeme, yedek parça) with a minimum level, and their append-only
 * movements. The level is the sum of the movements; a trigger refuses any movement that would take
 * it below zero, whoever writes it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stock_items', (t) => {
    t.increments('id').primary();
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    t.enu('category', ['CONSUMABLE', 'SPARE_PART']).notNullable();
    t.text('unit').notNullable().defaultTo('adet');
    t.integer('minimum_level').notNullable().defaultTo(0);
    t.integer('owner_org_unit_id').references('id').inTable('org_units').onDelete('RESTRICT');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
  });
  await knex.raw('ALTER TABLE stock_items ADD CONSTRAINT stock_items_minimum CHECK (minimum_level >= 0)');
  await knex.schema.createTable('stock_movements', (t) => {
    t.bigIncrements('id').primary();
    t.integer('item_id').notNullable().references('id').inTable('stock_items').onDelete('RESTRICT');
    t.enu('kind', ['IN', 'OUT', 'ADJUST']).notNullable();
    t.integer('quantity').notNullable().comment('Signed change of the level: IN > 0, OUT < 0, ADJUST either');
    t.integer('fault_id').references('id').inTable('faults').onDelete('RESTRICT');
    t.integer('actor_id').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('note');
    t.index(['item_id']);
    t.index(['fault_id']);
  });
  await knex.raw(`ALTER TABLE stock_movements
    ADD CONSTRAINT stock_movements_sign CHECK ((kind = 'IN' AND quantity > 0) OR (kind = 'OUT' AND quantity < 0) OR (kind = 'ADJUST' AND quantity <> 0))`);
  await knex.raw(`CREATE FUNCTION kbs_stock_not_negative() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE level bigint;
    BEGIN
      PERFORM 1 FROM stock_items WHERE id = NEW.item_id FOR UPDATE;
      SELECT coalesce(sum(quantity), 0) INTO level FROM stock_movements WHERE item_id = NEW.item_id;
      IF level < 0 THEN
        RAISE EXCEPTION 'stock of item % would go below zero (level %)', NEW.item_id, level USING ERRCODE = 'check_violation', CONSTRAINT = 'stock_level_not_negative';
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE CONSTRAINT TRIGGER stock_level_not_negative AFTER INSERT ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION kbs_stock_not_negative()`);
  await knex.raw(`CREATE FUNCTION kbs_stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'stock_movements is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.raw(`CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON stock_movements
    FOR EACH STATEMENT EXECUTE FUNCTION kbs_stock_movements_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('stock_movements');
  await knex.schema.dropTable('stock_items');
  await knex.raw('DROP FUNCTION kbs_stock_not_negative()');
  await knex.raw('DROP FUNCTION kbs_stock_movements_append_only()');
}
