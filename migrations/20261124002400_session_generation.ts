import type { Knex } from 'knex';

/**
 * Sessions end when the password changes. Every access token carries the generation of its
 * account's sessions it was issued in; a trigger moves the generation on whenever the password
 * hash changes, whoever changes it (the API, a script, an administrator in psql), so every token
 * issued before stops working at once. Changing `users` also bumps access_version, so servers
 * reload the account on their next request, in every process.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('session_generation').notNullable().defaultTo(0).comment('Moves on when the password changes: access tokens of an older generation are refused');
  });
  await knex.raw(`CREATE FUNCTION kbs_end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.session_generation := OLD.session_generation + 1;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER users_end_sessions BEFORE UPDATE OF password_hash ON users
    FOR EACH ROW WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash) EXECUTE FUNCTION kbs_end_sessions()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER users_end_sessions ON users');
  await knex.raw('DROP FUNCTION kbs_end_sessions()');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('session_generation');
  });
}
