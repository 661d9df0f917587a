import { Type, type Static } from 'typebox';

export const Role = Type.Union([Type.Literal('viewer'), Type.Literal('dispatcher'), Type.Literal('editor'), Type.Literal('admin')]);
export type Role = Static<typeof Role>;

export const CurrentUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  /** township code a dispatcher is limited to (null = whole county) */
  township: Type.Union([Type.String(), Type.Null()]),
});
export type CurrentUser = Static<typeof CurrentUser>;

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
  /** also return the token in the body, for API clients that send it as a bearer token */
  bearer: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const LoginResult = Type.Object({
  user: CurrentUser,
  expiresAt: Type.String({ format: 'date-time' }),
  token: Type.Optional(Type.String()),
});
