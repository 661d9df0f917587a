// Open311 GeoReport v2 (the 12345 hotline): field names as the spec has them (snake_case).
import { Type, type Static } from 'typebox';

export const Open311ListQuery = Type.Object({
  api_key: Type.Optional(Type.String({ maxLength: 200 })),
  service_request_id: Type.Optional(Type.String({ maxLength: 4000, description: 'comma-separated ids; other filters are ignored when given' })),
  service_code: Type.Optional(Type.String({ maxLength: 1000, description: 'comma-separated' })),
  start_date: Type.Optional(Type.String({ format: 'date-time' })),
  end_date: Type.Optional(Type.String({ format: 'date-time' })),
  status: Type.Optional(Type.String({ pattern: '^(open|closed)(,(open|closed))*$', description: 'open, closed or both' })),
  jurisdiction_id: Type.Optional(Type.String({ maxLength: 200 })),
});
export type Open311ListQuery = Static<typeof Open311ListQuery>;

export const Open311KeyQuery = Type.Object({
  api_key: Type.Optional(Type.String({ maxLength: 200 })),
  jurisdiction_id: Type.Optional(Type.String({ maxLength: 200 })),
});

/** POST requests.json: a flat form (application/x-www-form-urlencoded), checked in the handler. */
export type Open311Form = Record<string, string | undefined>;

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string | null;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: null;
  zipcode: string | null;
  lat: number;
  long: number;
  media_url: string | null;
  extended_attributes: { status_detail: string; status_label: string; level: string; township: string | null; village: string | null; grid: string | null };
}
