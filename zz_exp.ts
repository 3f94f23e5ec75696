import { z } from "zod";
const names = Array.from({length: 122}, (_, i) => `feature${i}Name`);
const shape: Record<string, z.ZodType> = {};
names.forEach((n, i) => shape[n] = i % 5 === 0 ? z.number().min(0).max(1).nullable() : z.number().min(0).max(1));
const Row = z.strictObject(shape);
const CRow = z.compile(Row);
const row: Record<string, number|null> = {};
names.forEach((n, i) => row[n] = i % 10 === 0 ? null : ((i * 37) % 100) / 100);
const text = JSON.stringify(row);
console.log(text.length);
function hand(o: any) { if (typeof o !== "object" || o === null) return false; let c = 0; for (const k in o) c++; if (c!==122) return false; for (let i=0;i<122;i++){ const v = o[names[i]]; if (typeof v !== "number" || !(v>=0 && v<=1)) { if (v === null && i%5===0) continue; return false;} } return true; }
function bench(label: string, f: () => unknown, n = 200000) { for (let i=0;i<20000;i++) f(); const t = performance.now(); for (let i=0;i<n;i++) f(); console.log(label, ((performance.now()-t)/n*1000).toFixed(2), "µs"); }
console.log(Row.safeParse(row).success, CRow.safeParse(row).success, hand(row));
bench("JSON.parse", () => JSON.parse(text));
bench("zod", () => Row.safeParse(row));
bench("zod compiled", () => CRow.safeParse(row));
bench("hand", () => hand(row));
bench("stringify", () => JSON.stringify(row));
const arr = names.map((n) => row[n]);
bench("stringify arr", () => JSON.stringify(arr));
const big = JSON.stringify({rows: Array.from({length: 1000}, () => row)});
console.log(big.length);
bench("parse 1000", () => JSON.parse(big), 100);
