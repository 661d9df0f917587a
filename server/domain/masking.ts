// Personal data by need to know: workers' phone numbers and citizens' contact details are shown in
// full to administrators and to dispatchers responsible for the place (county-wide, or of its
// township); everyone else (viewers, the wall screen, editors, dispatchers of other townships) sees
// them masked, e.g. 138****1234.
import type { CurrentUser } from '../schemas/auth.js';

/** May this user see the personal data of something in `township` (its code; null: unknown)? */
export function seesPersonalData(user: CurrentUser | null | undefined, township: string | null): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  return user.role === 'dispatcher' && (user.township === null || user.township === township);
}

/** 13812341234 → 138****1234; short numbers keep only their last two digits. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const p = phone.trim();
  return p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : `${'*'.repeat(Math.max(0, p.length - 2))}${p.slice(-2)}`;
}

/** 张三丰 → 张**: the family name stays. */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  const chars = [...name.trim()];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** zhang.san@example.cn → z***@example.cn */
export function maskEmail(email: string | null): string | null {
  if (!email) return email;
  const at = email.indexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
}
