// Reads [{rule, self}] as JSON on stdin and writes [true | false | "error: ..."] as JSON on stdout: the rules
// evaluated by @bufbuild/cel, an independent CEL implementation, with the strings extension. JSON objects become
// CEL maps, integers CEL ints, other numbers doubles. Kubernetes-only functions (isIP, format.*) are unknown here,
// so such rules come back as errors and are left out of the comparison.
import { run } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

function toCel(value) {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === "object") return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  return value;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  const results = cases.map(({ rule, self }) => {
    try {
      const result = run(rule, { self: toCel(self) }, { funcs: strings });
      return typeof result === "boolean" ? result : "error: not a boolean";
    } catch (e) {
      return "error: " + (e && e.message ? e.message : String(e));
    }
  });
  process.stdout.write(JSON.stringify(results));
});
