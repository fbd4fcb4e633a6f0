// The `labelSelector` query parameter, parsed the way the apiserver parses it
// (k8s.io/apimachinery/pkg/labels): comma-separated requirements that must all hold.
// A syntax error is the caller's fault, so it surfaces as a 400 with this message.

export type LabelOperator = "=" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export class SelectorSyntaxError extends Error {}

// Label keys are `[prefix/]name`, values may be empty; both use this alphabet. Anything else
// (spaces inside a value, quotes, ...) is rejected like the real parser rejects it.
const keyPattern =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

type Token =
  | { kind: "word"; text: string }
  | { kind: "op"; text: "=" | "==" | "!=" | "!" | "<" | ">" | "," | "(" | ")" };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (input.startsWith("==", i) || input.startsWith("!=", i)) {
      tokens.push({ kind: "op", text: input.startsWith("==", i) ? "==" : "!=" });
      i += 2;
    } else if ("=!<>,()".includes(ch)) {
      tokens.push({ kind: "op", text: ch as "=" | "!" | "<" | ">" | "," | "(" | ")" });
      i++;
    } else {
      const start = i;
      while (i < input.length && !/[\s=!<>,()]/.test(input.charAt(i))) i++;
      tokens.push({ kind: "word", text: input.slice(start, i) });
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    if (this.tokens.length === 0) return requirements;
    for (;;) {
      requirements.push(this.requirement());
      const next = this.tokens[this.at++];
      if (next === undefined) return requirements;
      if (next.text !== ",") throw new SelectorSyntaxError(`found '${next.text}', expected: ','`);
    }
  }

  private requirement(): LabelRequirement {
    if (this.peek()?.text === "!") {
      this.at++;
      return { key: this.key(), operator: "!", values: [] };
    }
    const key = this.key();
    const op = this.peek();
    if (op === undefined || op.text === ",") return { key, operator: "exists", values: [] };
    this.at++;
    switch (op.text) {
      case "=":
      case "==":
        return { key, operator: "=", values: [this.value(true)] };
      case "!=":
        return { key, operator: "!=", values: [this.value(true)] };
      case "<":
      case ">":
        return { key, operator: op.text === "<" ? "lt" : "gt", values: [this.integer()] };
      case "in":
      case "notin":
        return { key, operator: op.text, values: this.valueSet() };
      default:
        throw new SelectorSyntaxError(`found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private key(): string {
    const token = this.tokens[this.at++];
    if (token?.kind !== "word")
      throw new SelectorSyntaxError(`found '${token?.text ?? ""}', expected: identifier`);
    if (!keyPattern.test(token.text) || token.text.length > 316) {
      throw new SelectorSyntaxError(`invalid label key "${token.text}"`);
    }
    return token.text;
  }

  // After `=` an empty value is legal (`tier=` selects tier=""), so a missing word is "".
  private value(allowEmpty: boolean): string {
    const token = this.peek();
    if (token?.kind !== "word") {
      if (allowEmpty) return "";
      throw new SelectorSyntaxError(`found '${token?.text ?? ""}', expected: identifier`);
    }
    this.at++;
    if (!valuePattern.test(token.text) || token.text.length > 63) {
      throw new SelectorSyntaxError(`invalid label value: "${token.text}"`);
    }
    return token.text;
  }

  private integer(): string {
    const text = this.value(false);
    if (!/^-?\d+$/.test(text))
      throw new SelectorSyntaxError(`for 'gt', 'lt' operators, the value must be an integer`);
    return text;
  }

  private valueSet(): string[] {
    if (this.tokens[this.at++]?.text !== "(") throw new SelectorSyntaxError("expected: '('");
    const values: string[] = [];
    for (;;) {
      values.push(this.value(true));
      const next = this.tokens[this.at++];
      if (next?.text === ")") return values;
      if (next?.text !== ",")
        throw new SelectorSyntaxError(`found '${next?.text ?? ""}', expected: ',' or ')'`);
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }
}

/** Parses a selector; throws SelectorSyntaxError with the apiserver's kind of message. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  try {
    return new Parser(tokenize(selector)).parse();
  } catch (error) {
    if (error instanceof SelectorSyntaxError) {
      throw new SelectorSyntaxError(`unable to parse requirement: ${error.message}`);
    }
    throw error;
  }
}

function holds(requirement: LabelRequirement, labels: Record<string, string>): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const actual = labels[requirement.key];
  switch (requirement.operator) {
    case "exists":
      return present;
    case "!":
      return !present;
    case "=":
    case "in":
      return present && requirement.values.includes(actual ?? "");
    // Like the apiserver: an object without the key satisfies != and notin.
    case "!=":
    case "notin":
      return !present || !requirement.values.includes(actual ?? "");
    case "gt":
    case "lt": {
      const have = Number.parseInt(actual ?? "", 10);
      const want = Number.parseInt(requirement.values[0] ?? "", 10);
      if (!present || Number.isNaN(have)) return false;
      return requirement.operator === "gt" ? have > want : have < want;
    }
  }
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  return requirements.every((requirement) => holds(requirement, labels ?? {}));
}
