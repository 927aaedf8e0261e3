// A TypeScript integrator's client: types generated from /openapi.json by openapi-typescript
// (schema.d.ts), calls made with openapi-fetch. Fetches the written-concern letter in every
// format and prints what came back as JSON, for the Python test to check.
import createClient from "openapi-fetch";
import type { paths } from "./schema.js";

type LetterCase =
  paths["/v1/letters/{move}"]["post"]["requestBody"]["content"]["application/json"];

const [base = "", key = "", caseJson = "{}"] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl: base, headers: { "X-API-Key": key } });
const body = JSON.parse(caseJson) as LetterCase;
const fetched: Record<string, { status: number; type: string | null; bytes: number;
  head: string }> = {};
for (const format of ["md", "docx", "pdf"] as const) {
  const { data, response } = await client.POST("/v1/letters/{move}", {
    params: { path: { move: "written_concern" }, query: { format } },
    body,
    parseAs: "arrayBuffer",
  });
  const bytes = new Uint8Array(data ?? new ArrayBuffer(0));
  fetched[format] = {
    status: response.status,
    type: response.headers.get("content-type"),
    bytes: bytes.length,
    head: Buffer.from(bytes.slice(0, 4)).toString("latin1"),
  };
}
console.log(JSON.stringify(fetched));
