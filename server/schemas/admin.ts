// Administration (role admin): users, API and wall-screen tokens, device keys, Open311 clients and
// departments. Secrets (passwords, tokens, keys) appear in a response once, when created.
import { Type, type Static } from 'typebox';
import { Role } from './auth.js';

const TownshipCode = Type.String({ pattern: '^\\d{9}$', description: 'township code (a dispatcher limited to it)' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const AdminUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  township: Nullable(Type.String()),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  lastLoginAt: Nullable(Type.String({ format: 'date-time' })),
});
export type AdminUser = Static<typeof AdminUser>;

export const CreateUserBody = Type.Object({
  username: Type.String({ pattern: '^[A-Za-z0-9_.@-]{2,64}$', description: 'letters, digits, _ . @ -; 2–64' }),
  displayName: Type.String({ minLength: 1, maxLength: 64 }),
  role: Role,
  township: Type.Optional(Nullable(TownshipCode)),
  /** at least 12 characters; none: a random one is generated and returned once */
  password: Type.Optional(Type.String({ minLength: 12, maxLength: 200 })),
}, { additionalProperties: false });
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  role: Type.Optional(Role),
  township: Type.Optional(Nullable(TownshipCode)),
  /** false: deactivated, every session and token of the user ends */
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const PasswordBody = Type.Object({
  password: Type.Optional(Type.String({ minLength: 12, maxLength: 200 })),
}, { additionalProperties: false });

/** A secret shown once (generated password, token, key). */
export const UserCreated = Type.Object({ user: AdminUser, password: Type.Optional(Type.String()) });
export const PasswordReset = Type.Object({ password: Type.String() });

export const TokenKind = Type.Union([Type.Literal('api'), Type.Literal('screen')]);
export const AdminToken = Type.Object({
  /** the first 16 hex digits of the token's hash: names it without revealing it */
  ref: Type.String(),
  kind: TokenKind,
  label: Nullable(Type.String()),
  userId: Type.Integer(),
  username: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Nullable(Type.String({ format: 'date-time' })),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type AdminToken = Static<typeof AdminToken>;

export const CreateTokenBody = Type.Object({
  userId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  kind: TokenKind,
  label: Type.String({ minLength: 1, maxLength: 100 }),
  /** lifetime; default 365 */
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
}, { additionalProperties: false });
export const TokenCreated = Type.Object({ token: Type.String(), ref: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });
export const TokenRef = Type.Object({ ref: Type.String({ pattern: '^[0-9a-f]{16}$' }) });

export const AdminDevice = Type.Object({
  deviceId: Type.String(),
  workerId: Type.Integer(),
  worker: Type.String(),
  grid: Type.String(),
  township: Type.String(),
  keyIssuedAt: Nullable(Type.String({ format: 'date-time' })),
  lastSeen: Nullable(Type.String({ format: 'date-time' })),
});
export type AdminDevice = Static<typeof AdminDevice>;
export const DeviceParams = Type.Object({ deviceId: Type.String({ minLength: 1, maxLength: 64 }) });
export const DeviceKeyIssued = Type.Object({ deviceId: Type.String(), key: Type.String() });

export const AdminOpen311Client = Type.Object({
  id: Type.Integer(), name: Type.String(), active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }), revokedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type AdminOpen311Client = Static<typeof AdminOpen311Client>;
export const CreateOpen311ClientBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export const Open311ClientCreated = Type.Object({ client: AdminOpen311Client, apiKey: Type.String() });

export const AdminDepartment = Type.Object({
  id: Type.Integer(), code: Type.String(), name: Type.String(), kind: Type.String(), phone: Nullable(Type.String()),
});
export type AdminDepartment = Static<typeof AdminDepartment>;
export const UpdateDepartmentBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  phone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+() -]{3,30}$' }))),
}, { additionalProperties: false, minProperties: 1 });

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
