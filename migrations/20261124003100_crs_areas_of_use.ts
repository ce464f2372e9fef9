import type { Knex } from 'knex';

/**
 * The area of use of every CRS the API names, as PROJ records it (EPSG's extents, in degrees of
 * longitude and latitude), from scripts/crs-areas-of-use.sh (PROJ 9.1). Coordinates given in one of
 * these CRSs are accepted within its area of use widened by a margin, and a box or a geometry that
 * reaches beyond is clipped to it: a CRS cannot represent a point far outside (a transverse Mercator
 * northing of -1e300 is no place on Earth; web Mercator cannot reach the poles). PostGIS's
 * spatial_ref_sys does not carry the areas, and the embedded database has no projinfo.
 */
const AREAS: [number, string, string, number, number, number, number][] = [
  [4326, "WGS 84", "World.", -180, -90, 180, 90],
  [4258, "ETRS89", "Europe - onshore and offshore: Albania; Andorra; Austria; Belgium; Bosnia and Herzegovina; Bulgaria; Croatia; Cyprus; Czechia; Denmark; Estonia; Faroe Islands; Finland; France; Germany; Gibraltar; Greece; Hungary; Ireland; Italy; Kosovo; Latvia; Liechtenstein; Lithuania; Luxembourg; Malta; Moldova; Monaco; Montenegro; Netherlands; North Macedonia; Norway including Svalbard and Jan Mayen; Poland; Portugal; Romania; San Marino; Serbia; Slovakia; Slovenia; Spain; Sweden; Switzerland; United Kingdom (UK) including Channel Islands and Isle of Man; Vatican City State.", -16.1, 32.88, 40.18, 84.73],
  [4230, "ED50", "Europe - west: Andorra; Cyprus; Denmark - onshore and offshore; Faroe Islands - onshore; France - offshore; Germany - offshore North Sea; Gibraltar; Greece - offshore; Israel - offshore; Italy including San Marino and Vatican City State; Ireland offshore; Malta; Netherlands - offshore; North Sea; Norway including Svalbard - onshore and offshore; Portugal - mainland - offshore; Spain - onshore; Türkiye (Turkey) - onshore and offshore; United Kingdom - UKCS offshore east of 6°W including Channel Islands (Guernsey and Jersey). Egypt - Western Desert; Iraq - onshore; Jordan.", -16.1, 25.71, 48.61, 84.73],
  [5252, "TUREF", "Türkiye (Turkey) - onshore and offshore.", 25.62, 34.42, 44.83, 43.45],
  [3857, "WGS 84 / Pseudo-Mercator", "World between 85.06°S and 85.06°N.", -180, -85.06, 180, 85.06],
  [3395, "WGS 84 / World Mercator", "World between 80°S and 84°N.", -180, -80, 180, 84],
  [3034, "ETRS89-extended / LCC Europe", "Europe - European Union (EU) countries and candidates. Europe - onshore and offshore: Albania; Andorra; Austria; Belgium; Bosnia and Herzegovina; Bulgaria; Croatia; Cyprus; Czechia; Denmark; Estonia; Faroe Islands; Finland; France; Germany; Gibraltar; Greece; Hungary; Iceland; Ireland; Italy; Kosovo; Latvia; Liechtenstein; Lithuania; Luxembourg; Malta; Monaco; Montenegro; Netherlands; North Macedonia; Norway including Svalbard and Jan Mayen; Poland; Portugal including Madeira and Azores; Romania; San Marino; Serbia; Slovakia; Slovenia; Spain including Canary Islands; Sweden; Switzerland; Türkiye (Turkey); United Kingdom (UK) including Channel Islands and Isle of Man; Vatican City State.", -35.58, 24.6, 44.83, 84.73],
  [3035, "ETRS89-extended / LAEA Europe", "Europe - European Union (EU) countries and candidates. Europe - onshore and offshore: Albania; Andorra; Austria; Belgium; Bosnia and Herzegovina; Bulgaria; Croatia; Cyprus; Czechia; Denmark; Estonia; Faroe Islands; Finland; France; Germany; Gibraltar; Greece; Hungary; Iceland; Ireland; Italy; Kosovo; Latvia; Liechtenstein; Lithuania; Luxembourg; Malta; Monaco; Montenegro; Netherlands; North Macedonia; Norway including Svalbard and Jan Mayen; Poland; Portugal including Madeira and Azores; Romania; San Marino; Serbia; Slovakia; Slovenia; Spain including Canary Islands; Sweden; Switzerland; Türkiye (Turkey); United Kingdom (UK) including Channel Islands and Isle of Man; Vatican City State.", -35.58, 24.6, 44.83, 84.73],
  [5636, "TUREF / LAEA Europe", "Türkiye (Turkey) - onshore and offshore.", 25.62, 34.42, 44.83, 43.45],
  [5637, "TUREF / LCC Europe", "Türkiye (Turkey) - onshore and offshore.", 25.62, 34.42, 44.83, 43.45],
  [5253, "TUREF / TM27", "Türkiye (Turkey) - west of 28°30'E, onshore.", 25.62, 36.5, 28.5, 42.11],
  [5254, "TUREF / TM30", "Türkiye (Turkey) - between 28°30'E and 31°30'E, onshore.", 28.5, 36.06, 31.5, 41.46],
  [5255, "TUREF / TM33", "Türkiye (Turkey) - between 31°30'E and 34°30'E, onshore.", 31.5, 35.97, 34.5, 42.07],
  [5256, "TUREF / TM36", "Türkiye (Turkey) - between 34°30'E and 37°30'E, onshore.", 34.5, 35.81, 37.5, 42.15],
  [5257, "TUREF / TM39", "Türkiye (Turkey) - between 37°30'E and 40°30'E, onshore.", 37.5, 36.66, 40.5, 41.19],
  [5258, "TUREF / TM42", "Türkiye (Turkey) - between 40°30'E and 43°30'E, onshore.", 40.5, 37.02, 43.5, 41.6],
  [5259, "TUREF / TM45", "Türkiye (Turkey) - east of 43°30'E.", 43.5, 36.97, 44.83, 41.02],
  [5269, "TUREF / 3-degree Gauss-Kruger zone 9", "Türkiye (Turkey) - west of 28°30'E, onshore.", 25.62, 36.5, 28.5, 42.11],
  [5270, "TUREF / 3-degree Gauss-Kruger zone 10", "Türkiye (Turkey) - between 28°30'E and 31°30'E, onshore.", 28.5, 36.06, 31.5, 41.46],
  [5271, "TUREF / 3-degree Gauss-Kruger zone 11", "Türkiye (Turkey) - between 31°30'E and 34°30'E, onshore.", 31.5, 35.97, 34.5, 42.07],
  [5272, "TUREF / 3-degree Gauss-Kruger zone 12", "Türkiye (Turkey) - between 34°30'E and 37°30'E, onshore.", 34.5, 35.81, 37.5, 42.15],
  [5273, "TUREF / 3-degree Gauss-Kruger zone 13", "Türkiye (Turkey) - between 37°30'E and 40°30'E, onshore.", 37.5, 36.66, 40.5, 41.19],
  [5274, "TUREF / 3-degree Gauss-Kruger zone 14", "Türkiye (Turkey) - between 40°30'E and 43°30'E, onshore.", 40.5, 37.02, 43.5, 41.6],
  [5275, "TUREF / 3-degree Gauss-Kruger zone 15", "Türkiye (Turkey) - east of 43°30'E.", 43.5, 36.97, 44.83, 41.02],
  [2319, "ED50 / TM27", "Türkiye (Turkey) - west of 28°30'E, onshore.", 25.62, 36.5, 28.5, 42.11],
  [2320, "ED50 / TM30", "Türkiye (Turkey) - between 28°30'E and 31°30'E, onshore.", 28.5, 36.06, 31.5, 41.46],
  [2321, "ED50 / TM33", "Türkiye (Turkey) - between 31°30'E and 34°30'E, onshore.", 31.5, 35.97, 34.5, 42.07],
  [2322, "ED50 / TM36", "Türkiye (Turkey) - between 34°30'E and 37°30'E, onshore.", 34.5, 35.81, 37.5, 42.15],
  [2323, "ED50 / TM39", "Türkiye (Turkey) - between 37°30'E and 40°30'E, onshore.", 37.5, 36.66, 40.5, 41.19],
  [2324, "ED50 / TM42", "Türkiye (Turkey) - between 40°30'E and 43°30'E, onshore.", 40.5, 37.02, 43.5, 41.6],
  [2325, "ED50 / TM45", "Türkiye (Turkey) - east of 43°30'E.", 43.5, 36.97, 44.83, 41.02],
  [23035, "ED50 / UTM zone 35N", "Europe - between 24°E and 30°E - Greece - offshore; Norway including Svalbard - onshore and offshore; Türkiye (Turkey) - onshore and offshore. Egypt - Western Desert.", 24, 25.71, 30.01, 84.73],
  [23036, "ED50 / UTM zone 36N", "Europe - between 30°E and 36°E - Israel - offshore; Jordan; Norway including Svalbard - onshore and offshore; Türkiye (Turkey) - onshore and offshore.", 30, 29.19, 36, 84.7],
  [23037, "ED50 / UTM zone 37N", "Europe - between 36°E and 42°E - Jordan; Norway including Svalbard - offshore; Türkiye (Turkey) - onshore and offshore.", 36, 29.18, 42, 79.07],
  [23038, "ED50 / UTM zone 38N", "Europe - between 42°E and 48°E - Türkiye (Turkey).", 42, 36.97, 44.83, 41.6],
  [32635, "WGS 84 / UTM zone 35N", "Between 24°E and 30°E, northern hemisphere between equator and 84°N, onshore and offshore. Belarus. Bulgaria. Central African Republic. Democratic Republic of the Congo (Zaire). Egypt. Estonia. Finland. Greece. Latvia. Lesotho. Libya. Lithuania. Moldova. Norway. Poland. Romania. Russian Federation. Sudan. Svalbard. Türkiye (Turkey). Uganda. Ukraine.", 24, 0, 30, 84],
  [32636, "WGS 84 / UTM zone 36N", "Between 30°E and 36°E, northern hemisphere between equator and 84°N, onshore and offshore. Belarus. Cyprus. Egypt. Ethiopia. Finland. Israel. Jordan. Kenya. Lebanon. Moldova. Norway. Russian Federation. Saudi Arabia. Sudan. Syria. Türkiye (Turkey). Uganda. Ukraine.", 30, 0, 36, 84],
  [32637, "WGS 84 / UTM zone 37N", "Between 36°E and 42°E, northern hemisphere between equator and 84°N, onshore and offshore. Djibouti. Egypt. Eritrea. Ethiopia. Georgia. Iraq. Jordan. Kenya. Lebanon. Russian Federation. Saudi Arabia. Somalia. Sudan. Syria. Türkiye (Turkey). Ukraine.", 36, 0, 42, 84],
  [32638, "WGS 84 / UTM zone 38N", "Between 42°E and 48°E, northern hemisphere between equator and 84°N, onshore and offshore. Armenia. Azerbaijan. Djibouti. Eritrea. Ethiopia. Georgia. Islamic Republic of Iran. Iraq. kazakhstan. Kuwait. Russian Federation. Saudi Arabia. Somalia. Türkiye (Turkey). Yemen.", 42, 0, 48, 84],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('crs_areas_of_use', (t) => {
    t.integer('srid').primary().comment('EPSG code');
    t.text('name').notNullable().comment('Name of the CRS');
    t.text('area').notNullable().comment('Area of use, as EPSG describes it');
    t.double('west').notNullable().comment('Bounds of the area of use, degrees');
    t.double('south').notNullable();
    t.double('east').notNullable();
    t.double('north').notNullable();
  });
  await knex('crs_areas_of_use').insert(AREAS.map(([srid, name, area, west, south, east, north]) => ({ srid, name, area, west, south, east, north })));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('crs_areas_of_use');
}
