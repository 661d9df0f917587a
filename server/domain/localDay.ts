// The command center works in local time (China Standard Time): "today" starts at local midnight.
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** SQL expression for the start of the local day containing now(); `$tz` is a parameter. */
export const localDayStart = (tz: string) => `(date_trunc('day', now() AT TIME ZONE ${tz}) AT TIME ZONE ${tz})`;
/** SQL expression for today's local date. */
export const localToday = (tz: string) => `(now() AT TIME ZONE ${tz})::date`;
