// GET /api/search?q= — grids, villages and townships by name or code, with a box to fly to.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';

export const SearchResult = Type.Object({
  kind: Type.Union([Type.Literal('township'), Type.Literal('village'), Type.Literal('grid')]),
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  /** The area it belongs to, e.g. "牛山街道 · 牛山社区". */
  context: Type.String(),
  bbox: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
});
export type SearchResult = Static<typeof SearchResult>;

// Exact code first, then prefix, then name containment; townships before villages before grids.
const SEARCH_SQL = `
WITH hits AS (
  SELECT r.kind, r.id, r.code, r.name, coalesce(p.name, '') AS context, r.geom,
         CASE WHEN r.code = $1 THEN 0 WHEN r.code LIKE $2 THEN 1 WHEN r.name LIKE $2 THEN 2 ELSE 3 END AS rank,
         CASE r.kind WHEN 'township' THEN 0 ELSE 1 END AS kind_rank
  FROM regions r LEFT JOIN regions p ON p.id = r.parent_id
  WHERE r.kind <> 'county' AND (r.code LIKE $2 OR r.name LIKE $3)
  UNION ALL
  SELECT 'grid', g.id, g.code, g.name, t.name || ' · ' || v.name, g.geom,
         CASE WHEN g.code = $1 THEN 0 WHEN g.code LIKE $2 THEN 1 WHEN g.name LIKE $2 THEN 2 ELSE 3 END, 2
  FROM grids g JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id
  WHERE g.code LIKE $2 OR g.name LIKE $3
)
SELECT kind, id, code, name, context,
       json_build_array(round(ST_XMin(geom)::numeric, 6), round(ST_YMin(geom)::numeric, 6), round(ST_XMax(geom)::numeric, 6), round(ST_YMax(geom)::numeric, 6)) AS bbox
FROM hits ORDER BY rank, kind_rank, length(name), code LIMIT $4`;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/search', {
    schema: {
      tags: ['map'],
      summary: 'Find a township, village or grid by name or code',
      querystring: Type.Object({
        q: Type.String({ minLength: 1, maxLength: 50, examples: ['牛山', '320722001001-01'] }),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
      }),
      response: { 200: Type.Array(SearchResult) },
    },
  }, async (request) => {
    const q = request.query.q.trim();
    if (!q) return [];
    const e = escapeLike(q);
    const { rows } = await app.db.pool.query(SEARCH_SQL, [q, `${e}%`, `%${e}%`, request.query.limit ?? 10]);
    return rows;
  });
};

export default searchRoutes;
