/**
 * SQL shared by the seeds: a point `fraction` of the way along the street `s.geom`, as geography
 * (`pt`), and the street's heading there (`heading`, radians clockwise from north), for a LATERAL
 * join. Offsetting `pt` square to `heading` with ST_Project puts a feature at the roadside.
 */
export const STREET_POINT_LATERAL = `CROSS JOIN LATERAL (
        SELECT ST_LineInterpolatePoint(s.geom, c.fraction)::geography AS pt,
               ST_Azimuth(
                 ST_LineInterpolatePoint(s.geom, greatest(c.fraction - 0.002, 0))::geography,
                 ST_LineInterpolatePoint(s.geom, least(c.fraction + 0.002, 1))::geography) AS heading
      ) l`;
