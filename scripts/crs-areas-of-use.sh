#!/usr/bin/env bash
# Prints the areas of use that PROJ records for the given EPSG codes (default: the CRSs the API
# names), one TypeScript tuple a line: [srid, crs name, area name, west, south, east, north]. The migration
# 20261124003100_crs_areas_of_use.ts holds its output (PROJ 9.1, Debian's proj-bin).
set -euo pipefail
codes=("$@")
if [ ${#codes[@]} -eq 0 ]; then
  codes=(4326 4258 4230 5252 3857 3395 3034 3035 5636 5637
         5253 5254 5255 5256 5257 5258 5259 5269 5270 5271 5272 5273 5274 5275
         2319 2320 2321 2322 2323 2324 2325 23035 23036 23037 23038 32635 32636 32637 32638)
fi
for code in "${codes[@]}"; do
  projinfo -q -o PROJJSON --single-line "EPSG:$code" | node -e '
    const d = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const u = d.bbox ? d : (d.usages || [])[0];
    if (!u || !u.bbox) { console.error(`EPSG:${process.argv[1]}: no area of use`); process.exit(1); }
    const b = u.bbox;
    console.log(`  [${process.argv[1]}, ${JSON.stringify(d.name)}, ${JSON.stringify(u.area)}, ${b.west_longitude}, ${b.south_latitude}, ${b.east_longitude}, ${b.north_latitude}],`);
  ' "$code"
done
