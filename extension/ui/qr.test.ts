import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { byteCapacity, dataPositions, encodeQr, formatBits, functionPatterns, gfExp, gfMul, MASKS, penalty, qrPath, type QrCode } from "./qr";
import { QR_REFERENCES } from "./qr.fixtures";

/**
 * The encoder is checked two independent ways:
 * 1. against symbols made by another encoder (libqrencode, see qr.fixtures.ts), module for module, with the mask that
 *    encoder chose (masks are a free choice between encoders; everything else is fixed by the spec);
 * 2. by reading its own output back by the spec: format information (BCH-checked), unmasking, de-interleaving,
 *    Reed–Solomon syndromes (all zero = a valid codeword), and the byte-mode segment → the original text.
 */

const rows = (code: QrCode) => code.modules.map((row) => row.map((dark) => (dark ? "1" : "0")).join(""));
const matrix = (lines: string[]) => lines.map((line) => [...line].map((ch) => ch === "1"));

/** All 32 valid format words (level bits × mask). */
const VALID_FORMATS = new Map<number, { level: number; mask: number }>();
for (let level = 0; level < 4; level++) {
  for (let mask = 0; mask < 8; mask++) {
    const data = (level << 3) | mask;
    let rem = data;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    VALID_FORMATS.set(((data << 10) | (rem & 0x3ff)) ^ 0x5412, { level, mask });
  }
}

/** Reads both copies of the format information (ISO/IEC 18004 §7.9) and requires them to be the same valid word. */
function readFormat(modules: boolean[][]): { level: number; mask: number } {
  const size = modules.length;
  const bit = (r: number, c: number) => (modules[r]![c] ? 1 : 0);
  let first = 0;
  let second = 0;
  const firstAt: [number, number][] = [[0, 8], [1, 8], [2, 8], [3, 8], [4, 8], [5, 8], [7, 8], [8, 8], [8, 7], [8, 5], [8, 4], [8, 3], [8, 2], [8, 1], [8, 0]];
  firstAt.forEach(([r, c], i) => (first |= bit(r, c) << i));
  for (let i = 0; i < 8; i++) second |= bit(8, size - 1 - i) << i;
  for (let i = 8; i < 15; i++) second |= bit(size - 15 + i, 8) << i;
  expect(second).toBe(first);
  const format = VALID_FORMATS.get(first);
  expect(format, `format word ${first.toString(2)} is a valid BCH code word`).toBeDefined();
  return format!;
}

const BLOCKS: Record<number, { blocks: number; data: number; ec: number }> = {
  1: { blocks: 1, data: 16, ec: 10 },
  2: { blocks: 1, data: 28, ec: 16 },
  3: { blocks: 1, data: 44, ec: 26 },
  4: { blocks: 2, data: 32, ec: 18 },
  5: { blocks: 2, data: 43, ec: 24 },
  6: { blocks: 4, data: 27, ec: 16 },
};

/** Syndromes S_i = c(α^i), i = 0..ec−1, by Horner's rule; all zero for an undamaged Reed–Solomon code word. */
function syndromes(block: number[], ec: number): number[] {
  return Array.from({ length: ec }, (_, i) => block.reduce((acc, cw) => gfMul(acc, gfExp(i)) ^ cw, 0));
}

/** Decodes a level-M, byte-mode symbol of version 1–6 back to its text. */
function decode(modules: boolean[][]): string {
  const size = modules.length;
  const version = (size - 17) / 4;
  const format = readFormat(modules);
  expect(format.level).toBe(0b00); // M
  const grid = functionPatterns(version);
  const bits = dataPositions(grid).map(([r, c]) => modules[r]![c]! !== MASKS[format.mask]!(r, c));
  const codewords: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) codewords.push(bits.slice(i, i + 8).reduce((v, b) => (v << 1) | (b ? 1 : 0), 0));

  const spec = BLOCKS[version]!;
  const blocks = Array.from({ length: spec.blocks }, () => [] as number[]);
  let at = 0;
  for (let i = 0; i < spec.data; i++) for (const block of blocks) block.push(codewords[at++]!);
  for (let i = 0; i < spec.ec; i++) for (const block of blocks) block.push(codewords[at++]!);
  for (const block of blocks) expect(syndromes(block, spec.ec)).toEqual(new Array(spec.ec).fill(0));

  const data = blocks.flatMap((block) => block.slice(0, spec.data));
  const stream = data.flatMap((cw) => Array.from({ length: 8 }, (_, i) => (cw >>> (7 - i)) & 1));
  const read = (from: number, length: number) => stream.slice(from, from + length).reduce((v, b) => (v << 1) | b, 0);
  expect(read(0, 4)).toBe(0b0100); // byte mode
  const count = read(4, 8);
  const bytes = Uint8Array.from({ length: count }, (_, i) => read(12 + i * 8, 8));
  // After the segment: the terminator, then pad codewords 0xEC 0x11 …
  const afterBits = 12 + count * 8;
  expect(read(afterBits, Math.min(4, stream.length - afterBits))).toBe(0);
  const firstPad = Math.ceil((afterBits + 4) / 8);
  data.slice(firstPad).forEach((cw, i) => expect(cw).toBe(i % 2 === 0 ? 0xec : 0x11));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

describe("QR encoder", () => {
  test.each(QR_REFERENCES.map((r) => [r.version, r.text, r] as const))(
    "version %i: %s — the same symbol as libqrencode, module for module",
    (version, text, reference) => {
      const { mask } = readFormat(matrix(reference.rows));
      const code = encodeQr(text, { mask });
      expect(code.version).toBe(version);
      expect(rows(code)).toEqual(reference.rows);
    },
  );

  test.each(QR_REFERENCES.map((r) => [r.text] as const))("%s reads back by the spec with the mask it chose", (text) => {
    expect(decode(encodeQr(text).modules)).toBe(text);
  });

  test("any text up to 106 UTF-8 bytes encodes in the smallest version and reads back (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 106 }).filter((s) => new TextEncoder().encode(s).length <= 106),
        (text) => {
          const code = encodeQr(text);
          const length = new TextEncoder().encode(text).length;
          expect(byteCapacity(code.version)).toBeGreaterThanOrEqual(length);
          if (code.version > 1) expect(byteCapacity(code.version - 1)).toBeLessThan(length);
          expect(code.size).toBe(17 + 4 * code.version);
          expect(decode(code.modules)).toBe(text);
        },
      ),
      { numRuns: 60 },
    );
  }, 30_000);

  test("the chosen mask has the lowest penalty of the eight", () => {
    const text = "targethud://pair?server=http%3A%2F%2F127.0.0.1%3A8787&code=ABCD2345";
    const chosen = encodeQr(text);
    const scores = [0, 1, 2, 3, 4, 5, 6, 7].map((mask) => penalty(encodeQr(text, { mask }).modules));
    expect(penalty(chosen.modules)).toBe(Math.min(...scores));
    expect(scores.indexOf(Math.min(...scores))).toBe(chosen.mask);
  });

  test("format words for level M match the spec's table", () => {
    // ISO/IEC 18004 Table C.1, EC level M, masks 000..111.
    const table = ["101010000010010", "101000100100101", "101111001111100", "101101101001011", "100010111111001", "100000011001110", "100111110010111", "100101010100000"];
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((m) => formatBits(m).toString(2).padStart(15, "0"))).toEqual(table);
  });

  test("capacities are the spec's (byte mode, level M) and longer text is refused", () => {
    expect([1, 2, 3, 4, 5, 6].map(byteCapacity)).toEqual([14, 26, 42, 62, 84, 106]);
    expect(encodeQr("x".repeat(106)).version).toBe(6);
    expect(() => encodeQr("x".repeat(107))).toThrow(RangeError);
  });

  test("the SVG path draws exactly the dark modules", () => {
    const code = encodeQr("ABCD2345");
    const d = qrPath(code, 4);
    let area = 0;
    for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) area += Number(m[3]);
    expect(area).toBe(code.modules.flat().filter(Boolean).length);
  });
});
