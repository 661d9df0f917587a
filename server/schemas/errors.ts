import { Type } from 'typebox';

/** Every error response: the status, a message naming the field and the reason. */
export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String({ examples: ['bbox: minLon 119 is greater than maxLon 118'] }),
  field: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
}, { additionalProperties: true });
