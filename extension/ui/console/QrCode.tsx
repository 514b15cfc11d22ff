import { encodeQr, qrPath } from "../qr";

/** The pairing link a QR code carries: the server and the one-time code (both also shown as text). */
export function pairingLink(serverUrl: string, code: string): string {
  return `targethud://pair?server=${encodeURIComponent(serverUrl)}&code=${encodeURIComponent(code)}`;
}

/** A QR code as one SVG path (crisp at any zoom), with a quiet zone of 4 modules. */
export function QrCode({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  let code;
  try {
    code = encodeQr(text);
  } catch {
    return null; // too long for a QR code: the text next to it is enough
  }
  const extent = code.size + 8;
  return (
    <svg
      class="qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${extent} ${extent}`}
      shape-rendering="crispEdges"
      data-testid="pairing-qr"
      data-version={code.version}
    >
      <rect width={extent} height={extent} fill="#fff" />
      <path d={qrPath(code, 4)} fill="#000" />
    </svg>
  );
}
