// Departments an incident can be dispatched to (派遣 picks one; the category names a default).
import { Type, type Static } from 'typebox';

export const DispatchDepartment = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  /** party / government / public-service / utility / township */
  kind: Type.String(),
});
export type DispatchDepartment = Static<typeof DispatchDepartment>;
