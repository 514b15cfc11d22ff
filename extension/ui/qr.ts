/**
 * A small QR Code encoder (ISO/IEC 18004): byte mode, error correction level M, versions 1–6 (up to 106 bytes of UTF-8),
 * which is plenty for a pairing code and a server address. No dependency; checked against an independent encoder's
 * symbols and by decoding its own output by the spec (qr.test.ts).
 *
 * Steps: data bits (mode, count, bytes, terminator, pad) → Reed–Solomon blocks over GF(256) → interleave → place in the
 * zig-zag around the function patterns → try the 8 masks, keep the lowest penalty → write the format information.
 */

export type QrMatrix = boolean[][];

export interface QrCode {
  version: number;
  /** 0..7 */
  mask: number;
  size: number;
  /** modules[row][col], true = dark. */
  modules: QrMatrix;
}

interface VersionSpec {
  /** Data codewords per block (all blocks are the same size for versions 1–6 at level M). */
  dataPerBlock: number;
  blocks: number;
  ecPerBlock: number;
  /** Row/column centres of alignment patterns. */
  alignment: number[];
  remainderBits: number;
}

/** Level M, versions 1–6 (ISO/IEC 18004 tables 7, 9 and E.1). */
const VERSIONS: Record<number, VersionSpec> = {
  1: { dataPerBlock: 16, blocks: 1, ecPerBlock: 10, alignment: [], remainderBits: 0 },
  2: { dataPerBlock: 28, blocks: 1, ecPerBlock: 16, alignment: [6, 18], remainderBits: 7 },
  3: { dataPerBlock: 44, blocks: 1, ecPerBlock: 26, alignment: [6, 22], remainderBits: 7 },
  4: { dataPerBlock: 32, blocks: 2, ecPerBlock: 18, alignment: [6, 26], remainderBits: 7 },
  5: { dataPerBlock: 43, blocks: 2, ecPerBlock: 24, alignment: [6, 30], remainderBits: 7 },
  6: { dataPerBlock: 27, blocks: 4, ecPerBlock: 16, alignment: [6, 34], remainderBits: 7 },
};
export const MAX_VERSION = 6;
/** Level M's format bits are 00 (L 01, M 00, Q 11, H 10). */
const EC_LEVEL_M_BITS = 0b00;

/** Bytes a version holds in byte mode at level M: (data bits − 4 mode − 8 count) / 8. */
export function byteCapacity(version: number): number {
  const spec = VERSIONS[version];
  if (!spec) throw new RangeError(`version ${version} is not supported (1–${MAX_VERSION})`);
  return Math.floor((spec.dataPerBlock * spec.blocks * 8 - 12) / 8);
}

// ---- GF(256), primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d) ------------------------------------------------

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}

export function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!;
}

/** exp table entry α^i (exported for the test decoder). */
export function gfExp(i: number): number {
  return EXP[((i % 255) + 255) % 255]!;
}

/** Generator polynomial ∏ (x − α^i), i = 0..degree−1; coefficients from the highest power down, leading 1 included. */
export function rsGenerator(degree: number): number[] {
  let poly = [1];
  for (let i = 0; i < degree; i++) {
    const next = new Array<number>(poly.length + 1).fill(0);
    for (let j = 0; j < poly.length; j++) {
      next[j] = next[j]! ^ poly[j]!;
      next[j + 1] = next[j + 1]! ^ gfMul(poly[j]!, EXP[i]!);
    }
    poly = next;
  }
  return poly;
}

/** The `ecCount` error correction codewords of `data`: the remainder of data·x^ecCount divided by the generator. */
export function rsRemainder(data: readonly number[], ecCount: number): number[] {
  const generator = rsGenerator(ecCount);
  const remainder = new Array<number>(ecCount).fill(0);
  for (const byte of data) {
    const factor = byte ^ remainder.shift()!;
    remainder.push(0);
    for (let i = 0; i < ecCount; i++) remainder[i] = remainder[i]! ^ gfMul(generator[i + 1]!, factor);
  }
  return remainder;
}

// ---- Data codewords --------------------------------------------------------------------------------------------------

function dataCodewords(bytes: Uint8Array, version: number): number[] {
  const spec = VERSIONS[version]!;
  const capacityBits = spec.dataPerBlock * spec.blocks * 8;
  const bits: number[] = [];
  const push = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  push(0b0100, 4); // byte mode
  push(bytes.length, 8); // character count (8 bits for versions 1–9)
  for (const b of bytes) push(b, 8);
  push(0, Math.min(4, capacityBits - bits.length)); // terminator
  while (bits.length % 8 !== 0) bits.push(0);
  const codewords: number[] = [];
  for (let i = 0; i < bits.length; i += 8) codewords.push(bits.slice(i, i + 8).reduce((v, bit) => (v << 1) | bit, 0));
  for (let pad = 0; codewords.length < capacityBits / 8; pad++) codewords.push(pad % 2 === 0 ? 0xec : 0x11);
  return codewords;
}

/** Data split into blocks, each with its EC codewords, interleaved: data column by column, then EC likewise. */
function finalCodewords(data: number[], version: number): number[] {
  const spec = VERSIONS[version]!;
  const blocks = Array.from({ length: spec.blocks }, (_, b) => data.slice(b * spec.dataPerBlock, (b + 1) * spec.dataPerBlock));
  const ec = blocks.map((block) => rsRemainder(block, spec.ecPerBlock));
  const out: number[] = [];
  for (let i = 0; i < spec.dataPerBlock; i++) for (const block of blocks) out.push(block[i]!);
  for (let i = 0; i < spec.ecPerBlock; i++) for (const block of ec) out.push(block[i]!);
  return out;
}

// ---- Matrix ----------------------------------------------------------------------------------------------------------

interface Grid {
  size: number;
  dark: boolean[][];
  /** Function patterns and format areas: never data, never masked. */
  reserved: boolean[][];
}

function emptyGrid(size: number): Grid {
  return {
    size,
    dark: Array.from({ length: size }, () => new Array<boolean>(size).fill(false)),
    reserved: Array.from({ length: size }, () => new Array<boolean>(size).fill(false)),
  };
}

function setFunction(grid: Grid, row: number, col: number, dark: boolean): void {
  grid.dark[row]![col] = dark;
  grid.reserved[row]![col] = true;
}

/** Finder, separators, timing, alignment, dark module; format areas reserved (written last). */
export function functionPatterns(version: number): Grid {
  const size = 17 + 4 * version;
  const grid = emptyGrid(size);
  const finder = (top: number, left: number) => {
    for (let r = -1; r <= 7; r++) {
      for (let c = -1; c <= 7; c++) {
        const row = top + r;
        const col = left + c;
        if (row < 0 || col < 0 || row >= size || col >= size) continue;
        const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
        setFunction(grid, row, col, ring !== 2 && ring !== 4); // 7×7 ring, 3×3 core, light separator
      }
    }
  };
  finder(0, 0);
  finder(0, size - 7);
  finder(size - 7, 0);
  for (let i = 8; i < size - 8; i++) {
    setFunction(grid, 6, i, i % 2 === 0);
    setFunction(grid, i, 6, i % 2 === 0);
  }
  const centres = VERSIONS[version]!.alignment;
  for (const r of centres) {
    for (const c of centres) {
      if (grid.reserved[r]![c]) continue; // overlaps a finder
      for (let dr = -2; dr <= 2; dr++) {
        for (let dc = -2; dc <= 2; dc++) setFunction(grid, r + dr, c + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
      }
    }
  }
  for (let i = 0; i <= 8; i++) {
    if (!grid.reserved[8]![i]) setFunction(grid, 8, i, false);
    if (!grid.reserved[i]![8]) setFunction(grid, i, 8, false);
  }
  for (let i = 0; i < 8; i++) {
    setFunction(grid, 8, size - 1 - i, false);
    setFunction(grid, size - 1 - i, 8, false);
  }
  setFunction(grid, size - 8, 8, true); // the dark module
  return grid;
}

/** The data modules in placement order: two-column strips from the right, up then down, skipping the timing column. */
export function dataPositions(grid: Pick<Grid, "size" | "reserved">): [number, number][] {
  const positions: [number, number][] = [];
  let upward = true;
  for (let right = grid.size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let i = 0; i < grid.size; i++) {
      const row = upward ? grid.size - 1 - i : i;
      for (const col of [right, right - 1]) {
        if (!grid.reserved[row]![col]) positions.push([row, col]);
      }
    }
    upward = !upward;
  }
  return positions;
}

export const MASKS: ((row: number, col: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i + j) % 2) + ((i * j) % 3)) % 2 === 0,
];

/** 15 format bits: EC level and mask, BCH(15,5) with generator 0x537, XOR 0x5412. */
export function formatBits(mask: number): number {
  const data = (EC_LEVEL_M_BITS << 3) | mask;
  let rem = data << 10;
  for (let i = 14; i >= 10; i--) if ((rem >>> i) & 1) rem ^= 0x537 << (i - 10);
  return ((data << 10) | rem) ^ 0x5412;
}

/** Both copies of the format information; bit 14 is the most significant. */
function writeFormat(modules: QrMatrix, mask: number): void {
  const size = modules.length;
  const bits = formatBits(mask);
  const bit = (i: number) => ((bits >>> i) & 1) === 1;
  // Copy 1 around the top-left finder: bits 0–7 up column 8 (skipping the timing row), 8–14 along row 8 leftwards.
  for (let i = 0; i <= 5; i++) modules[i]![8] = bit(i);
  modules[7]![8] = bit(6);
  modules[8]![8] = bit(7);
  modules[8]![7] = bit(8);
  for (let i = 9; i < 15; i++) modules[8]![14 - i] = bit(i);
  // Copy 2: bits 0–7 along row 8 from the right edge leftwards, bits 8–14 down column 8 below the dark module.
  for (let i = 0; i < 8; i++) modules[8]![size - 1 - i] = bit(i);
  for (let i = 8; i < 15; i++) modules[size - 15 + i]![8] = bit(i);
}

/** ISO/IEC 18004 §7.8.3 penalty: runs, 2×2 blocks, finder-like patterns, dark balance. */
export function penalty(modules: QrMatrix): number {
  const size = modules.length;
  let score = 0;
  const lines: boolean[][] = [];
  for (let i = 0; i < size; i++) {
    lines.push(modules[i]!);
    lines.push(modules.map((row) => row[i]!));
  }
  for (const line of lines) {
    let run = 1;
    for (let i = 1; i <= size; i++) {
      if (i < size && line[i] === line[i - 1]) run++;
      else {
        if (run >= 5) score += 3 + (run - 5);
        run = 1;
      }
    }
    // 1:1:3:1:1 dark-light-dark-dark-dark-light-dark with 4 light modules on either side.
    for (let i = 0; i + 7 <= size; i++) {
      const core = line[i]! && !line[i + 1] && line[i + 2] && line[i + 3] && line[i + 4] && !line[i + 5] && line[i + 6];
      if (!core) continue;
      const lightBefore = i >= 4 && [1, 2, 3, 4].every((k) => !line[i - k]);
      const lightAfter = i + 11 <= size && [7, 8, 9, 10].every((k) => !line[i + k]);
      if (lightBefore) score += 40;
      if (lightAfter) score += 40;
    }
  }
  for (let r = 0; r + 1 < size; r++) {
    for (let c = 0; c + 1 < size; c++) {
      const v = modules[r]![c];
      if (modules[r]![c + 1] === v && modules[r + 1]![c] === v && modules[r + 1]![c + 1] === v) score += 3;
    }
  }
  const dark = modules.reduce((n, row) => n + row.filter(Boolean).length, 0);
  const total = size * size;
  // Smallest k with 45−5k ≤ dark% ≤ 55+5k.
  const k = Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1;
  score += Math.max(0, k) * 10;
  return score;
}

/**
 * Encode `text` (UTF-8, byte mode, level M) in the smallest version 1–6 that holds it. `mask` forces a mask pattern
 * (otherwise the one with the lowest penalty). Throws a RangeError when the text is too long.
 */
export function encodeQr(text: string, options: { mask?: number; minVersion?: number } = {}): QrCode {
  const bytes = new TextEncoder().encode(text);
  let version = Math.max(1, options.minVersion ?? 1);
  while (version <= MAX_VERSION && byteCapacity(version) < bytes.length) version++;
  if (version > MAX_VERSION) {
    throw new RangeError(`${bytes.length} bytes do not fit a version ${MAX_VERSION} QR code at level M (max ${byteCapacity(MAX_VERSION)})`);
  }
  const codewords = finalCodewords(dataCodewords(bytes, version), version);
  const bits: boolean[] = [];
  for (const cw of codewords) for (let i = 7; i >= 0; i--) bits.push(((cw >>> i) & 1) === 1);
  for (let i = 0; i < VERSIONS[version]!.remainderBits; i++) bits.push(false);

  const grid = functionPatterns(version);
  const positions = dataPositions(grid);
  if (positions.length !== bits.length) throw new Error(`internal: ${positions.length} data modules for ${bits.length} bits`);

  const withMask = (mask: number): QrMatrix => {
    const modules = grid.dark.map((row) => [...row]);
    positions.forEach(([r, c], i) => {
      modules[r]![c] = bits[i]! !== MASKS[mask]!(r, c);
    });
    writeFormat(modules, mask);
    return modules;
  };

  let best: { mask: number; modules: QrMatrix; score: number } | null = null;
  const candidates = options.mask !== undefined ? [options.mask] : [0, 1, 2, 3, 4, 5, 6, 7];
  for (const mask of candidates) {
    if (!Number.isInteger(mask) || mask < 0 || mask > 7) throw new RangeError(`mask must be 0..7, got ${mask}`);
    const modules = withMask(mask);
    const score = candidates.length === 1 ? 0 : penalty(modules);
    if (!best || score < best.score) best = { mask, modules, score };
  }
  return { version, mask: best!.mask, size: grid.size, modules: best!.modules };
}

/**
 * An SVG path (`d`) drawing the dark modules as unit squares, offset by a quiet zone of `margin` modules; render it in a
 * viewBox of size + 2·margin. One path keeps the DOM small (a v6 symbol has ~900 dark modules).
 */
export function qrPath(code: QrCode, margin = 4): string {
  const parts: string[] = [];
  code.modules.forEach((row, r) => {
    let c = 0;
    while (c < row.length) {
      if (!row[c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < row.length && row[c]) c++;
      parts.push(`M${start + margin} ${r + margin}h${c - start}v1h${start - c}z`);
    }
  });
  return parts.join("");
}
