/**
 * Where a JSON text first goes wrong. V8's JSON.parse messages name a position for some mistakes
 * and not for others ("Unexpected token 'o', ... is not valid JSON"); a person fixing a shell-quoted
 * `--input` needs the offset every time. Only called after JSON.parse has already failed.
 *
 * Not npm's `json-parse-even-better-errors` (5.0): it reads the position out of V8's message, so
 * for exactly those mistakes it reports position 0 (`{"a": nope}` → 0, here 7; `{"a": tru}` → 0,
 * here 9). A scan of the text is the only way to the offset.
 */

class Scan {
  pos = 0;
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  ws(): void {
    while (/[ \t\n\r]/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  fail(): never {
    throw this.pos;
  }

  literal(word: string): void {
    for (const ch of word) {
      if (this.text[this.pos] !== ch) this.fail();
      this.pos++;
    }
  }

  string(): void {
    this.pos++;
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined || ch < ' ') this.fail();
      if (ch === '"') break;
      if (ch === '\\') {
        this.pos++;
        const esc = this.text[this.pos] ?? '';
        if (esc === 'u') {
          for (let i = 0; i < 4; i++) {
            this.pos++;
            if (!/[0-9a-fA-F]/.test(this.text[this.pos] ?? '')) this.fail();
          }
        } else if (!'"\\/bfnrt'.includes(esc) || esc === '') this.fail();
      }
      this.pos++;
    }
    this.pos++;
  }

  number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (!match || match[0] === '' || match[0] === '-') this.fail();
    this.pos += match[0].length;
  }

  list(close: string, item: () => void): void {
    this.pos++;
    this.ws();
    if (this.text[this.pos] === close) {
      this.pos++;
      return;
    }
    for (;;) {
      item();
      this.ws();
      const ch = this.text[this.pos];
      this.pos++;
      if (ch === close) return;
      if (ch !== ',') {
        this.pos--;
        this.fail();
      }
      this.ws();
    }
  }

  value(): void {
    this.ws();
    const ch = this.text[this.pos];
    if (ch === '{') {
      this.list('}', () => {
        if (this.text[this.pos] !== '"') this.fail();
        this.string();
        this.ws();
        if (this.text[this.pos] !== ':') this.fail();
        this.pos++;
        this.value();
      });
    } else if (ch === '[') this.list(']', () => this.value());
    else if (ch === '"') this.string();
    else if (ch === 't') this.literal('true');
    else if (ch === 'f') this.literal('false');
    else if (ch === 'n') this.literal('null');
    else this.number();
  }
}

/** The 0-based offset of the first character that cannot be part of valid JSON, or null. */
export function jsonErrorPosition(text: string): number | null {
  const scan = new Scan(text);
  try {
    scan.value();
    scan.ws();
    return scan.pos < text.length ? scan.pos : null;
  } catch (position) {
    return typeof position === 'number' ? position : null;
  }
}
