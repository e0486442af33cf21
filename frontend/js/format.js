// Number, time and size formatting for the page (browser locale).

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const small = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 4 });
const plain = new Intl.NumberFormat(undefined, { useGrouping: false, maximumFractionDigits: 6 });

// Ids, years and codes read wrong with thousands separators ("2,024").
const UNGROUPED = /(^|_)(id|year|yr|zip|code|postal_code)$/i;

export function isNumber(value) {
  return typeof value === "number" && Number.isFinite(value);
}

const cents = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

// A column of amounts (53.6 next to 53.57) reads best with the same two decimals
// throughout, so the decimal points line up: true when some value has a fraction
// and none is a small number (those keep their significant digits).
export function twoDecimals(values) {
  const present = values.filter(isNumber);
  return present.some((v) => !Number.isInteger(v)) && present.every((v) => v === 0 || Math.abs(v) >= 1);
}

export function formatNumber(value, column = "", { fixed = false } = {}) {
  if (!isNumber(value)) return String(value);
  if (UNGROUPED.test(column)) return plain.format(value);
  if (fixed) return cents.format(value);
  if (Number.isInteger(value)) return integer.format(value);
  if (Math.abs(value) < 1) return small.format(value);
  return decimal.format(value);
}

export function formatSeconds(seconds) {
  if (!isNumber(seconds)) return "";
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(1)} s`;
}

export function formatBytes(bytes) {
  if (!isNumber(bytes)) return "";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  let n = bytes;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
  return `${n < 10 && i ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}

export function plural(n, one, many = `${one}s`) {
  return `${integer.format(n)} ${n === 1 ? one : many}`;
}
