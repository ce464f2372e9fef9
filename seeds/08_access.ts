import type { Knex } from 'knex';
import { TECHNICIANS } from './data/staff';

/**
 * Sample roles and who holds them, which directorate owns each feature, and what is public.
 * A role is created with its grants only when missing; a role that exists gets only the grants on
 * the IT registers it lacks (an identical grant is never added twice), so databases seeded before
 * the registers existed get them too. Owners and public flags are set only on rows that have no
 * owner yet: re-running never undoes an administrator's other changes.
 */

type Grant = {
  resource: string;
  action: string;
  ownOrgUnitOnly?: boolean;
  neighbourhoods?: string[];
  fields?: string[];
};

const LAYERS = ['NEIGHBOURHOODS', 'CAMERAS', 'NETWORK_NODES', 'NETWORK_LINES', 'REMOTE_UNITS', 'PARCELS'];
/** The IT directorate's registers. Only assets and faults have a geometry (and so may take an area). */
const REGISTERS = ['ASSETS', 'FAULTS', 'CUSTODY', 'STOCK', 'DISPOSALS', 'VENDORS'];
const ALL = [...LAYERS, 'USERS', 'ROLES', 'API_TOKENS', 'AUDIT_LOG', ...REGISTERS];
const ACTIONS = ['READ', 'CREATE', 'UPDATE', 'DELETE'];
const read = (resources: string[], extra: Partial<Grant> = {}): Grant[] => resources.map((resource) => ({ resource, action: 'READ', ...extra }));
const write = (resources: string[], extra: Partial<Grant> = {}): Grant[] =>
  resources.flatMap((resource) => ['CREATE', 'UPDATE', 'DELETE'].map((action) => ({ resource, action, ...extra })));
const manage = (resources: string[]): Grant[] => resources.flatMap((resource) => ACTIONS.map((action) => ({ resource, action })));
const FIELDS: Record<string, string[]> = { CAMERAS: ['streamUrl'], USERS: ['email'] };

/** Fen İşleri's editors work on the network in the northern neighbourhoods only. */
export const FEN_NEIGHBOURHOODS = ['Sakarya', 'Köprübaşı', 'Kıbrıs', 'Karşıyaka'];

const ROLES: { code: string; name: string; description: string; grants: Grant[]; users: string[] }[] = [
  {
    code: 'admin',
    name: 'Sistem yöneticisi (Bilgi İşlem)',
    description: 'Everything, every sensitive field: users, roles, tokens, the audit log and the IT registers included.',
    grants: ALL.flatMap((resource) => ACTIONS.map((action) => ({ resource, action, fields: action === 'READ' ? FIELDS[resource] ?? [] : [] }))),
    users: ['ayse.demir'],
  },
  {
    code: 'bim-teknik',
    name: 'Teknik servis (Bilgi İşlem)',
    description: 'Reads every layer with camera stream URLs; edits cameras and the network everywhere; manages the IT registers (assets, faults, custody, stock, disposals, vendors).',
    grants: [
      ...read(LAYERS),
      { resource: 'CAMERAS', action: 'READ', fields: ['streamUrl'] },
      ...write(['CAMERAS', 'NETWORK_NODES', 'NETWORK_LINES', 'REMOTE_UNITS']),
      ...manage(REGISTERS),
    ],
    // The technical service (mehmet.yilmaz and the technicians faults are assigned to).
    users: [...TECHNICIANS],
  },
  {
    code: 'fen-editor',
    name: 'Fen İşleri altyapı editörü',
    description: 'Reads every layer; edits network lines and nodes only inside its neighbourhoods.',
    grants: [...read(LAYERS), ...write(['NETWORK_LINES', 'NETWORK_NODES'], { neighbourhoods: FEN_NEIGHBOURHOODS })],
    users: ['fatma.kaya'],
  },
  {
    code: 'zabita',
    name: 'Zabıta',
    description: 'Reads cameras (not their stream URLs) and neighbourhoods.',
    grants: read(['CAMERAS', 'NEIGHBOURHOODS']),
    users: ['ali.celik'],
  },
  {
    code: 'birim-personeli',
    name: 'Müdürlük personeli',
    description: "Directorate staff: read their directorate's assets and custody, report its faults and reopen them; the IT directorate manages them.",
    grants: [
      ...read(['ASSETS', 'CUSTODY'], { ownOrgUnitOnly: true }),
      // CREATE lets them report and reopen; UPDATE (assign, resolve, …) stays with the IT directorate.
      ...['CREATE', 'READ'].map((action) => ({ resource: 'FAULTS', action, ownOrgUnitOnly: true })),
    ],
    users: ['fatma.kaya', 'ali.celik', 'zeynep.arslan'],
  },
  {
    code: 'analyst',
    name: 'CBS analisti',
    description: 'Reads every layer, the assets and the faults; changes nothing.',
    grants: read([...LAYERS, 'ASSETS', 'FAULTS']),
    users: ['zeynep.arslan'],
  },
  {
    code: 'auditor',
    name: 'İç kontrol / denetçi',
    description: 'Reads the audit log, the user accounts and every IT register.',
    grants: read(['AUDIT_LOG', 'USERS', ...REGISTERS]),
    users: ['elif.yurt'],
  },
  {
    code: 'ebys',
    name: 'EBYS entegrasyonu',
    description: "The document system's service account: reads parcels and neighbourhoods.",
    grants: read(['PARCELS', 'NEIGHBOURHOODS']),
    users: ['svc-ebys'],
  },
];

/** What anonymous requests (e-Belediye) read: rows flagged public of these layers. */
const PUBLIC_GRANTS = read(['NEIGHBOURHOODS', 'PARCELS', 'CAMERAS']);

/**
 * Adds the grants the role lacks: those without an area in one statement (skipping any an identical
 * grant already gives: same action, directorate limit and fields, no area), each area grant alone.
 */
async function addGrants(knex: Knex, roleId: number, grants: Grant[]): Promise<void> {
  const plain = grants.filter((g) => !g.neighbourhoods?.length);
  if (plain.length) {
    await knex.raw(
      `INSERT INTO role_grants (role_id, resource, action, own_org_unit_only, fields)
       SELECT ?, g.resource, g.action, g.own, g.fields::text[]
       FROM json_to_recordset(?::json) AS g(n int, resource text, action text, own boolean, fields text)
       WHERE NOT EXISTS (
         SELECT 1 FROM role_grants x
         WHERE x.role_id = ? AND x.resource = g.resource AND x.action = g.action AND x.own_org_unit_only = g.own
           AND x.fields = g.fields::text[] AND x.area_geom IS NULL
           AND NOT EXISTS (SELECT 1 FROM role_grant_neighbourhoods xn WHERE xn.grant_id = x.id))
       ORDER BY g.n`,
      [
        roleId,
        JSON.stringify(plain.map((g, n) => ({ n, resource: g.resource, action: g.action, own: g.ownOrgUnitOnly ?? false, fields: `{${(g.fields ?? []).join(',')}}` }))),
        roleId,
      ],
    );
  }
  for (const g of grants.filter((x) => x.neighbourhoods?.length)) {
    const [row] = await knex('role_grants')
      .insert({ role_id: roleId, resource: g.resource, action: g.action, own_org_unit_only: g.ownOrgUnitOnly ?? false, fields: g.fields ?? [] })
      .returning('id');
    await knex.raw(
      `INSERT INTO role_grant_neighbourhoods (grant_id, neighbourhood_id) SELECT ?, id FROM neighbourhoods WHERE name = ANY(?::text[])`,
      [row.id, g.neighbourhoods],
    );
  }
}

export async function seed(knex: Knex): Promise<void> {
  for (const role of ROLES) {
    const [created] = await knex('roles')
      .insert({ code: role.code, name: role.name, description: role.description })
      .onConflict(knex.raw('(lower(code))'))
      .ignore()
      .returning('id');
    if (created) await addGrants(knex, created.id, role.grants);
    else {
      // An existing role keeps its grants; it only gains those on the IT registers it lacks.
      const existing = await knex('roles').whereRaw('lower(code) = lower(?)', [role.code]).first('id');
      await addGrants(knex, existing.id, role.grants.filter((g) => REGISTERS.includes(g.resource)));
    }
    await knex.raw(
      `INSERT INTO user_roles (user_id, role_id)
       SELECT u.id, r.id FROM users u, roles r WHERE u.username = ANY(?::text[]) AND r.code = ?
       ON CONFLICT DO NOTHING`,
      [role.users, role.code],
    );
  }
  const pub = await knex('roles').where({ code: 'public' }).first('id');
  const hasGrants = await knex('role_grants').where({ role_id: pub.id }).first('id');
  if (!hasGrants) await addGrants(knex, pub.id, PUBLIC_GRANTS);

  // Owners and public flags, on rows not yet given an owner.
  const owner = (code: string) => knex.raw('(SELECT id FROM org_units WHERE code = ?)', [code]);
  await knex('neighbourhoods').whereNull('owner_org_unit_id').update({ owner_org_unit_id: owner('IMAR'), is_public: true });
  await knex('parcels').whereNull('owner_org_unit_id').update({ owner_org_unit_id: owner('EMLAK'), is_public: true });
  await knex('cameras')
    .whereNull('owner_org_unit_id')
    .update({
      owner_org_unit_id: knex.raw(`CASE WHEN purpose = 'TRAFFIC' THEN ? ELSE ? END`, [owner('ULAS'), owner('BIM')]),
      is_public: knex.raw(`purpose = 'LIVE_BROADCAST'`),
    });
  for (const table of ['network_nodes', 'network_lines', 'remote_units']) {
    await knex(table).whereNull('owner_org_unit_id').update({ owner_org_unit_id: owner('BIM') });
  }
}
