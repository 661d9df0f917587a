// Grid boundary editing: change sets and the operations built on them.
import { Type, type Static } from 'typebox';

const Ring = Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }), { minItems: 4, maxItems: 5000 });
/** A GeoJSON Polygon (WGS84), checked for ranges and closed rings before PostGIS sees it. */
export const EditPolygon = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(Ring, { minItems: 1, maxItems: 50 }),
});
export type EditPolygon = Static<typeof EditPolygon>;

export const EditLine = Type.Object({
  type: Type.Literal('LineString'),
  coordinates: Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }), { minItems: 2, maxItems: 1000 }),
});
export type EditLine = Static<typeof EditLine>;

const Reason = Type.String({ minLength: 2, maxLength: 500, description: 'why (kept in the history)', examples: ['村庄合并后调整网格边界'] });
const GridId = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Version = Type.Integer({ minimum: 1, maximum: 2147483647, description: 'the version the edit was made from (optimistic concurrency)' });

export const ChangeSetBody = Type.Object({
  reason: Reason,
  changes: Type.Array(Type.Object({ id: GridId, baseVersion: Version, geometry: EditPolygon }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
  dryRun: Type.Optional(Type.Boolean({ description: 'validate and report the area changes without saving' })),
}, { additionalProperties: false });
export type ChangeSetBody = Static<typeof ChangeSetBody>;

export const SplitBody = Type.Object({
  baseVersion: Version,
  line: EditLine,
  reason: Reason,
  /** worker id → 0 (first part) or 1 (second part); others go to the larger part */
  workers: Type.Optional(Type.Record(Type.String({ pattern: '^\\d+$' }), Type.Union([Type.Literal(0), Type.Literal(1)]))),
  names: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 2, maxItems: 2 })),
  dryRun: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const MergeBody = Type.Object({
  grids: Type.Array(Type.Object({ id: GridId, baseVersion: Version }, { additionalProperties: false }), { minItems: 2, maxItems: 20 }),
  reason: Reason,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  dryRun: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const ReassignBody = Type.Object({
  baseVersion: Version,
  villageCode: Type.String({ pattern: '^\\d{12}$' }),
  reason: Reason,
  dryRun: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const CreateGridBody = Type.Object({
  geometry: EditPolygon,
  villageCode: Type.String({ pattern: '^\\d{12}$' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  kind: Type.Optional(Type.Union([Type.Literal('urban'), Type.Literal('rural')])),
  reason: Reason,
  dryRun: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const RevertBody = Type.Object({
  reason: Reason,
  dryRun: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const GridRevertBody = Type.Object({
  toVersion: Version,
  baseVersion: Version,
  reason: Reason,
  dryRun: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const ChangeResult = Type.Object({
  changeSetId: Type.Union([Type.Integer(), Type.Null()], { description: 'null for a dry run' }),
  dryRun: Type.Boolean(),
  grids: Type.Array(Type.Object({
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    /** created / changed / retired */
    change: Type.String(),
    fromVersion: Type.Union([Type.Integer(), Type.Null()]),
    toVersion: Type.Union([Type.Integer(), Type.Null()]),
    areaBeforeM2: Type.Number(),
    areaAfterM2: Type.Number(),
  })),
});
export type ChangeResult = Static<typeof ChangeResult>;

/** One broken rule: which grid, which rule, where (a point or an area), in words. */
export const Violation = Type.Object({
  gridId: Type.Union([Type.Integer(), Type.Null()]),
  gridCode: Type.Union([Type.String(), Type.Null()]),
  rule: Type.String({ examples: ['valid_geometry', 'inside_county', 'inside_village', 'no_overlap', 'no_gap', 'min_area', 'min_width', 'single_polygon'] }),
  message: Type.String(),
  where: Type.Union([Type.Object({ type: Type.String(), coordinates: Type.Any() }), Type.Null()]),
  otherGridId: Type.Optional(Type.Integer()),
});
export type Violation = Static<typeof Violation>;

export const HistoryEntry = Type.Object({
  version: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  villageCode: Type.String(),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  changedBy: Type.String(),
  reason: Type.String(),
  changeSetId: Type.Union([Type.Integer(), Type.Null()]),
  areaM2: Type.Number(),
  geometry: Type.Object({ type: Type.String(), coordinates: Type.Any() }),
});
