import type { Knex } from 'knex';

/**
 * The directorates (müdürlükler) of Nizip Belediyesi and the units of the IT directorate. Upserted
 * by code: safe to run again. Units find their directorate by its code, never by a numeric id.
 */

const DIRECTORATES: ReadonlyArray<readonly [code: string, name: string]> = [
  ['OZK', 'Özel Kalem Müdürlüğü'],
  ['YAZI', 'Yazı İşleri Müdürlüğü'],
  ['MALI', 'Mali Hizmetler Müdürlüğü'],
  ['IK', 'İnsan Kaynakları ve Eğitim Müdürlüğü'],
  ['BIM', 'Bilgi İşlem Müdürlüğü'],
  ['DEST', 'Destek Hizmetleri Müdürlüğü'],
  ['HUK', 'Hukuk İşleri Müdürlüğü'],
  ['FEN', 'Fen İşleri Müdürlüğü'],
  ['IMAR', 'İmar ve Şehircilik Müdürlüğü'],
  ['EMLAK', 'Emlak ve İstimlak Müdürlüğü'],
  ['ZAB', 'Zabıta Müdürlüğü'],
  ['ITF', 'İtfaiye Müdürlüğü'],
  ['TEM', 'Temizlik İşleri Müdürlüğü'],
  ['PARK', 'Park ve Bahçeler Müdürlüğü'],
  ['KULT', 'Kültür ve Sosyal İşler Müdürlüğü'],
  ['SOS', 'Sosyal Yardım İşleri Müdürlüğü'],
  ['KADIN', 'Kadın ve Aile Hizmetleri Müdürlüğü'],
  ['GENC', 'Gençlik ve Spor Hizmetleri Müdürlüğü'],
  ['VET', 'Veteriner İşleri Müdürlüğü'],
  ['ULAS', 'Ulaşım Hizmetleri Müdürlüğü'],
  ['MEZ', 'Mezarlıklar Müdürlüğü'],
];

/** Units (birimler) under a directorate: [code, name, parent code]. */
const UNITS: ReadonlyArray<readonly [code: string, name: string, parent: string]> = [
  ['EVRAK', 'Evrak Yönetim Birimi', 'BIM'],
  ['SISTEM', 'Sistem Bilgi ve Güvenliği Birimi', 'BIM'],
  ['YAZILIM', 'Yazılım ve Ar-Ge Birimi', 'BIM'],
  ['TEKNIK', 'Teknik Servis Birimi', 'BIM'],
];

export async function seed(knex: Knex): Promise<void> {
  // Directorates first, so that the units' statement finds its parents by code.
  await knex.raw(
    `
    INSERT INTO org_units (code, name, kind, parent_id)
    SELECT d.code, d.name, 'DIRECTORATE', NULL
    FROM json_to_recordset(?::json) AS d(ord int, code text, name text)
    ORDER BY d.ord
    ON CONFLICT (code) DO UPDATE SET
      name = EXCLUDED.name,
      kind = EXCLUDED.kind,
      parent_id = EXCLUDED.parent_id,
      updated_at = now()
    `,
    [JSON.stringify(DIRECTORATES.map(([code, name], ord) => ({ ord, code, name })))],
  );

  await knex.raw(
    `
    INSERT INTO org_units (code, name, kind, parent_id)
    SELECT u.code, u.name, 'UNIT', p.id
    FROM json_to_recordset(?::json) AS u(ord int, code text, name text, parent text)
    JOIN org_units p ON p.code = u.parent
    ORDER BY u.ord
    ON CONFLICT (code) DO UPDATE SET
      name = EXCLUDED.name,
      kind = EXCLUDED.kind,
      parent_id = EXCLUDED.parent_id,
      updated_at = now()
    `,
    [JSON.stringify(UNITS.map(([code, name, parent], ord) => ({ ord, code, name, parent })))],
  );
}
