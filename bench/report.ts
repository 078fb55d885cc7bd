/**
 * The benchmark's printed report: one table per workspace with each engine's figures, the ratios
 * Keyhouse/CASL and Keyhouse/casbin, and the targets marked met or missed.
 */
import type { Timing } from './measure.ts';
import type { WorkspaceShape } from './workspace-generator.ts';

/** Everything measured on one workspace. */
export interface ScenarioReport {
  readonly name: string;
  readonly entries: number;
  readonly shape: WorkspaceShape;
  readonly generateMs: number;
  readonly keyhouse: {
    readonly buildMs: number;
    readonly buildCpuMs: number;
    readonly bytes: number;
    readonly allows: Timing;
    readonly handles: Timing;
    readonly explain: Timing;
    readonly listing: { readonly p50Ms: number; readonly p99Ms: number };
  };
  readonly casl: {
    readonly encoding: string;
    readonly tried: readonly string[];
    readonly buildMs: number;
    readonly timing: Timing;
    readonly agreed: number;
    readonly compared: number;
  };
  readonly casbin: {
    readonly buildMs: number;
    readonly timing: Timing;
    readonly agreed: number;
    readonly compared: number;
    readonly links: number;
  };
}

const n = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

function row(cells: readonly string[], widths: readonly number[]): string {
  return `| ${cells.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, k) => Math.max(cell.length, ...rows.map((r) => r[k]!.length)));
  const rule = `|${widths.map((w, k) => (k === 0 ? ':' : '-').padEnd(w + 1, '-') + (k === 0 ? '-' : ':')).join('|')}|`;
  return [row(header, widths), rule, ...rows.map((r) => row(r, widths))].join('\n');
}

function engineRows(r: ScenarioReport): string[][] {
  const k = r.keyhouse;
  const t = (timing: Timing) => [n(timing.perSecond), n(timing.p50Ns), n(timing.p99Ns)];
  return [
    ['Keyhouse `allows()` (string ids)', n(k.buildMs), ...t(k.allows), 'reference'],
    ['Keyhouse `levelRankOf()` (handles)', n(k.buildMs), ...t(k.handles), '—'],
    ['Keyhouse `decide()` (explain)', n(k.buildMs), ...t(k.explain), '—'],
    [
      `CASL (${r.casl.encoding})`,
      n(r.casl.buildMs),
      ...t(r.casl.timing),
      `${r.casl.agreed}/${r.casl.compared}`,
    ],
    [
      'casbin (RBAC with domains)',
      n(r.casbin.buildMs),
      ...t(r.casbin.timing),
      `${r.casbin.agreed}/${r.casbin.compared}`,
    ],
  ];
}

const mark = (met: boolean): string => (met ? 'met' : 'MISSED');

function targetRows(r: ScenarioReport, large: boolean): string[][] {
  const k = r.keyhouse;
  const vsCasl = k.allows.perSecond / r.casl.timing.perSecond;
  const handlesVsCasl = k.handles.perSecond / r.casl.timing.perSecond;
  const needed = large ? 10 : 15;
  const perEntry = k.bytes / r.entries;
  const explainRatio = k.allows.perSecond / k.explain.perSecond;
  const rows = [
    [`Keyhouse/CASL, string ids (≥ ${needed}×)`, `${n(vsCasl, 1)}×`, mark(vsCasl >= needed)],
    [`Keyhouse/CASL, handles (≥ ${needed}×)`, `${n(handlesVsCasl, 1)}×`, mark(handlesVsCasl >= needed)],
    ['Keyhouse/casbin, string ids', `${n(k.allows.perSecond / r.casbin.timing.perSecond, 1)}×`, '—'],
    ['bytes per entry (≤ 64)', n(perEntry, 1), mark(perEntry <= 64)],
    ['explain / plain decision (≤ 10×)', `${n(explainRatio, 1)}×`, mark(explainRatio <= 10)],
    [
      `listing p50 / p99 ms, out of ${n(r.shape.integrations)} (≤ 5 ms)`,
      `${n(k.listing.p50Ms, 2)} / ${n(k.listing.p99Ms, 2)}`,
      large ? mark(k.listing.p99Ms <= 5) : '—',
    ],
  ];
  rows.push([
    'index build ms, median of 3: wall / CPU (≤ 1,000 at 1M)',
    `${n(k.buildMs)} / ${n(k.buildCpuMs)}`,
    large ? mark(k.buildMs <= 1_000) : '—',
  ]);
  return rows;
}

/** The report as Markdown-compatible text. */
export function formatReport(reports: readonly ScenarioReport[]): string {
  const parts: string[] = [];
  for (const r of reports) {
    const s = r.shape;
    parts.push(
      `## ${r.name}: ${n(s.users)} users, ${n(s.groups)} groups, ${n(s.integrations)} integrations in ${n(s.projects)} projects, ${n(r.entries)} entries`,
      '',
      table(['engine', 'build ms', 'decisions/s', 'p50 ns', 'p99 ns', 'agreement'], engineRows(r)),
      '',
      table(['figure', 'value', 'target'], targetRows(r, r.entries >= 1_000_000)),
      '',
      `CASL encodings tried: ${r.casl.tried.join(', ')}; casbin links: ${n(r.casbin.links)}; generator ${n(r.generateMs)} ms.`,
      '',
    );
  }
  return parts.join('\n');
}
