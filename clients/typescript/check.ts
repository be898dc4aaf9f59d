// Call a live trivselscore service through a client generated from docs/openapi.json
// (openapi-typescript types + openapi-fetch). Prints one JSON object with what came back;
// clients/check_clients.py compares it with the library. Usage: node check.js BASE_URL
// (the bearer token in TRIVSELSCORE_TOKEN).
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Score = components["schemas"]["Score"];
type BatchLine = components["schemas"]["BatchLine"];
type ChangeResponse = components["schemas"]["ChangeResponse"];
type Problem = components["schemas"]["Problem"];

const [baseUrl] = process.argv.slice(2);
const client = createClient<paths>({
  baseUrl,
  headers: { Authorization: `Bearer ${process.env.TRIVSELSCORE_TOKEN ?? ""}` },
});

function lines(text: string): BatchLine[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as BatchLine);
}

async function main(): Promise<void> {
  const one = await client.POST("/v1/instruments/{instrument_id}/score", {
    params: { path: { instrument_id: "who5" } },
    body: { answers: { "1": 3, "2": 4, "3": 2, "4": 3, "5": 1 }, respondent: { age: 16 } },
  });
  if (one.data === undefined) throw new Error(`score_one failed: ${JSON.stringify(one.error)}`);
  const score: Score = one.data;

  const many = await client.POST("/v1/instruments/{instrument_id}/scores", {
    params: { path: { instrument_id: "sdq-s11-17" }, query: { missing: "prorate" } },
    body: [
      {
        answers: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [String(i + 1), 1])),
        respondent: { age: 14, sex: "female" },
      },
      { answers: { "1": 2, "2": 0 } },
      { answers: { "1": 7 } },
    ],
    parseAs: "text",
  });
  if (many.data === undefined) throw new Error(`score_many failed: ${JSON.stringify(many.error)}`);

  const csv = await client.POST("/v1/instruments/{instrument_id}/scores/csv", {
    params: { path: { instrument_id: "who5" }, query: { id_column: "elev" } },
    body: "elev;1;2;3;4;5\nA-1;3;4;2;3;1\nA-2;5;5;NA;5;5\n",
    bodySerializer: (body: string) => body,
    headers: { "Content-Type": "text/csv" },
    parseAs: "text",
  });
  if (csv.data === undefined) throw new Error(`score_csv failed: ${JSON.stringify(csv.error)}`);

  const change = await client.POST("/v1/change", {
    body: {
      instrument: "who5",
      scale: "percentage",
      method: "threshold",
      before: { answers: [2, 2, 2, 2, 2] },
      after: 52,
    },
  });
  if (change.data === undefined) throw new Error(`change failed: ${JSON.stringify(change.error)}`);
  const changed: ChangeResponse = change.data;

  const bad = await client.POST("/v1/instruments/{instrument_id}/score", {
    params: { path: { instrument_id: "who5" } },
    body: { answers: { "1": 6 } },
  });
  if (bad.error === undefined) throw new Error("a code out of range was scored");
  const problem: Problem = bad.error;

  const result = {
    score,
    batch: lines(many.data as string),
    csv: lines(csv.data as string),
    change: changed,
    problem: { status: bad.response.status, body: problem },
  };
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
